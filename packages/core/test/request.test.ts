import { describe, expect, it } from 'vitest';
import { ValidationError, assertSafeKey, resolveRenderRequest } from '../src/index.js';

const fieldsOf = (input: unknown) => {
  try {
    resolveRenderRequest(input, 100);
  } catch (error) {
    expect(ValidationError.is(error)).toBe(true);
    return (error as ValidationError).issues.map((i) => i.field).sort();
  }
  throw new Error('expected a ValidationError');
};

describe('resolveRenderRequest', () => {
  it('applies defaults', () => {
    expect(resolveRenderRequest({ script: 'Hi.' }, 100)).toEqual({ script: 'Hi.', language: 'en-US', platform: 'youtube' });
  });

  it('names every field at fault at once', () => {
    expect(fieldsOf({ script: '   ', platform: 'myspace', language: 'english please', voice: 'a b', title: 5 })).toEqual([
      'language',
      'platform',
      'script',
      'title',
      'voice',
    ]);
  });

  it('rejects a script over the limit with the numbers in the message', () => {
    expect(() => resolveRenderRequest({ script: 'x'.repeat(101) }, 100)).toThrow(/101 characters; the limit is 100/);
  });

  it('rejects non-objects', () => {
    expect(fieldsOf(null)).toEqual(['request']);
    expect(fieldsOf('script')).toEqual(['request']);
  });

  it('rejects unsafe output keys', () => {
    expect(fieldsOf({ script: 'Hi.', outputKey: '../../etc/passwd' })).toEqual(['outputKey']);
  });
});

describe('assertSafeKey', () => {
  it('accepts ordinary nested keys', () => {
    expect(() => assertSafeKey('videos/2026/a b.mp4')).not.toThrow();
  });
  it.each(['..', 'a/../b', '/abs', 'a\\b', 'a\u0000b', 'a//b', 'C:/x', '', 'x'.repeat(513)])('rejects %j', (key) => {
    expect(() => assertSafeKey(key)).toThrow(ValidationError);
  });
});

import { describe, expect, it } from 'vitest';
import { ValidationError, assertSafeKey, resolveRenderRequest } from '../src/index.js';
import { pacedDurations } from '../src/pipeline/create-pipeline.js';

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
    expect(resolveRenderRequest({ script: 'Hi.' }, 100)).toEqual({ script: 'Hi.', language: 'en-US', platform: 'youtube', quality: 'standard' });
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

describe('targetDurationSeconds', () => {
  it.each([0, -5, 3601, Number.NaN, '30'])('rejects %j', (value) => {
    expect(fieldsOf({ script: 'Hi.', targetDurationSeconds: value })).toEqual(['targetDurationSeconds']);
  });

  it('pads scenes evenly up to the target, at most 1.5 s each, never cutting narration', () => {
    expect(pacedDurations([2, 3], undefined)).toEqual([2, 3]);
    expect(pacedDurations([2, 3], 7)).toEqual([3, 4]);
    expect(pacedDurations([2, 3], 60)).toEqual([3.5, 4.5]);
    expect(pacedDurations([2, 3], 4)).toEqual([2, 3]);
    expect(pacedDurations([0.2], undefined)).toEqual([1]);
  });
});

describe('lenient spellings', () => {
  it('accepts en_US and YouTube as en-US and youtube', () => {
    expect(resolveRenderRequest({ script: 'Hi.', language: 'en_US', platform: ' YouTube ' }, 100)).toMatchObject({ language: 'en-US', platform: 'youtube' });
  });
});

describe('video quality options', () => {
  it('accepts every option at its documented bounds', () => {
    const request = {
      script: 'Hi.',
      captions: { burnIn: false, wordHighlight: true, maxCharsPerLine: 80, maxLines: 3, style: { font: 'Noto Sans', size: 15, color: '#ffffff', highlightColor: '#FFD60A', outlineColor: '#000000', outline: 0, background: true, position: 'top' } },
      motion: { kenBurns: { direction: 'left', amount: 0.3 }, transition: 'slide', transitionSeconds: 2 },
      music: { source: 'https://example.com/bed.mp3', volumeDb: -40, duckDb: 40, fadeOutSeconds: 10 },
      quality: 'preview',
    };
    expect(resolveRenderRequest(request, 100)).toMatchObject(request);
    // `true` is the object form with every default; `false` is no captions at all.
    expect(resolveRenderRequest({ script: 'Hi.', captions: true, motion: { kenBurns: true } }, 100)).toMatchObject({ captions: {}, motion: { kenBurns: {} } });
    expect(resolveRenderRequest({ script: 'Hi.', captions: false }, 100).captions).toBeUndefined();
  });

  it('names each bad option by its path', () => {
    expect(
      fieldsOf({
        script: 'Hi.',
        captions: { maxLines: 4, style: { color: 'red', size: 1, position: 'left', shadow: 2 } },
        motion: { kenBurns: { amount: 2 }, transition: 'wipe', transitionSeconds: 0 },
        music: { source: '../../etc/passwd', volumeDb: 3 },
        quality: 'best',
      }),
    ).toEqual([
      'captions.maxLines',
      'captions.style',
      'captions.style.color',
      'captions.style.position',
      'captions.style.size',
      'motion.kenBurns.amount',
      'motion.transition',
      'motion.transitionSeconds',
      'music.volumeDb',
      'quality',
    ]);
    expect(fieldsOf({ script: 'Hi.', music: { source: '../secret.mp3' } })).toEqual(['music.source']);
    expect(fieldsOf({ script: 'Hi.', captions: 'yes' })).toEqual(['captions']);
  });
});

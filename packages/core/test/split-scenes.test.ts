import { describe, expect, it } from 'vitest';
import { splitScenes } from '../src/script/split-scenes.js';

const split = (script: string, max = 220, language = 'en-US') => splitScenes(script, { language, maxSceneCharacters: max });

describe('splitScenes', () => {
  it('keeps paragraphs apart and packs their sentences', () => {
    const scenes = split('First sentence. Second sentence.\n\nNew paragraph here.');
    expect(scenes.map((s) => [s.paragraph, s.text])).toEqual([
      [0, 'First sentence. Second sentence.'],
      [1, 'New paragraph here.'],
    ]);
    expect(scenes.map((s) => s.index)).toEqual([0, 1]);
  });

  it('starts a new scene when the next sentence would not fit', () => {
    const scenes = split('Alpha beta gamma delta. Epsilon zeta eta theta. Iota kappa lambda mu.', 50);
    expect(scenes.map((s) => s.text)).toEqual(['Alpha beta gamma delta. Epsilon zeta eta theta.', 'Iota kappa lambda mu.']);
  });

  it('splits a long sentence at clause boundaries first', () => {
    const sentence = 'When the morning came, the village woke slowly; bakers lit their ovens, and the river carried mist.';
    const scenes = split(sentence, 50);
    expect(scenes.every((s) => s.text.length <= 50)).toBe(true);
    expect(scenes[0]!.text).toBe('When the morning came, the village woke slowly;');
    expect(scenes.map((s) => s.text).join(' ')).toBe(sentence);
  });

  it('splits a clause without punctuation at word boundaries', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const scenes = split(words, 40);
    expect(scenes.every((s) => s.text.length <= 40)).toBe(true);
    expect(scenes.map((s) => s.text).join(' ')).toBe(words);
  });

  it('splits a single 500-character word between graphemes', () => {
    const scenes = split('a'.repeat(500), 220);
    expect(scenes.map((s) => s.text.length)).toEqual([220, 220, 60]);
  });

  it('never splits inside an emoji sequence', () => {
    const family = '👨‍👩‍👧‍👦';
    const scenes = split(family.repeat(40), 30);
    for (const scene of scenes) expect(scene.text.replaceAll(family, '')).toBe('');
  });

  it('splits CJK text into sentences', () => {
    const scenes = split('这是第一句话，我们在这里测试。这是第二句话，我们继续测试。', 20, 'zh-CN');
    expect(scenes.map((s) => s.text)).toEqual(['这是第一句话，我们在这里测试。', '这是第二句话，我们继续测试。']);
  });

  it('merges scenes with nothing to say into a neighbour', () => {
    const scenes = split('...\n\nHello there.\n\n---\n\n!!!');
    expect(scenes).toHaveLength(1);
    expect(scenes[0]!.text).toBe('... Hello there. --- !!!');
  });

  it('normalises newlines, tabs and control characters', () => {
    const scenes = split('One\r\ntwo\tthree\u0000four.\r\n\r\nFive.');
    expect(scenes.map((s) => s.text)).toEqual(['One two three four.', 'Five.']);
  });

  it('returns no scenes for blank input', () => {
    expect(split(' \n\t\n ')).toEqual([]);
  });

  it('falls back to English rules for an unknown language', () => {
    expect(split('The first sentence is here. The second sentence is here.', 30, 'xx-invalid-tag-zz')).toHaveLength(2);
  });
});

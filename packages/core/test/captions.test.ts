import { describe, expect, it } from 'vitest';
import { assColor, assScript, captionEvents, escapeAss } from '../src/captions/ass-script.js';
import { captionWords, cueOf, cuesFromWords, displayWidth, estimateWordTimings, joinWords, phrases, shiftCues, wrapWords } from '../src/captions/cues.js';
import { toSrt, toVtt } from '../src/captions/subtitle-files.js';

const shape = { maxCharsPerLine: 20, maxLines: 2 };

describe('caption words and phrases', () => {
  it('splits spaced scripts at spaces and unspaced scripts between graphemes', () => {
    expect(captionWords('Hello,  world!')).toEqual(['Hello,', 'world!']);
    expect(captionWords('你好，世界。')).toEqual(['你', '好，', '世', '界。']);
    expect(joinWords(captionWords('你好，世界。'))).toBe('你好，世界。');
    expect(joinWords(['Hello', 'world'])).toBe('Hello world');
  });

  it('counts wide characters and emoji as two columns', () => {
    expect(displayWidth('ab')).toBe(2);
    expect(displayWidth('中文')).toBe(4);
    expect(displayWidth('👍🏽')).toBe(2);
  });

  it('groups words into cues that fit the shape, ending at sentence ends', () => {
    const groups = phrases(captionWords('One two three. Four five six seven eight nine ten eleven twelve thirteen fourteen.'), shape);
    expect(groups[0]).toEqual(['One', 'two', 'three.']);
    for (const group of groups) expect(wrapWords(group, shape.maxCharsPerLine).length).toBeLessThanOrEqual(shape.maxLines);
    expect(groups.flat().join(' ')).toBe('One two three. Four five six seven eight nine ten eleven twelve thirteen fourteen.');
  });

  it('gives a word longer than a line a line of its own rather than losing it', () => {
    const groups = phrases(['a', 'supercalifragilisticexpialidocious', 'b'], shape);
    expect(groups.flat()).toEqual(['a', 'supercalifragilisticexpialidocious', 'b']);
  });

  it('spreads word times over the phrase by length, ending exactly at its end', () => {
    const timed = estimateWordTimings(['a', 'bbb'], 1, 2);
    expect(timed[0]).toEqual({ word: 'a', startSeconds: 1, endSeconds: 1 + 2 / 6 });
    expect(timed[1]!.endSeconds).toBe(2);
  });

  it('builds cues from provider word timings', () => {
    const words = ['Hi', 'there.', 'How', 'are', 'you?'].map((word, i) => ({ word, startSeconds: i * 0.5, endSeconds: i * 0.5 + 0.4 }));
    const cues = cuesFromWords(words, shape);
    expect(cues.map((c) => [c.lines.join(' / '), c.startSeconds, c.endSeconds])).toEqual([
      ['Hi there.', 0, 0.9],
      ['How are you?', 1, 2.4],
    ]);
    expect(shiftCues(cues, 10)[1]!.startSeconds).toBe(11);
  });
});

describe('sidecar files', () => {
  const cues = [
    cueOf(estimateWordTimings(['Hello', 'there.'], 0.012, 1.5), shape),
    cueOf(estimateWordTimings(['a', '<b>', '-->', '&'], 3661.5, 3662.25), shape),
  ];

  it('writes SubRip with comma milliseconds and numbered blocks', () => {
    expect(toSrt(cues)).toBe('1\n00:00:00,012 --> 00:00:01,500\nHello there.\n\n2\n01:01:01,500 --> 01:01:02,250\na <b> → &\n');
  });

  it('writes WebVTT with escaped markup', () => {
    expect(toVtt(cues)).toBe('WEBVTT\n\n1\n00:00:00.012 --> 00:00:01.500\nHello there.\n\n2\n01:01:01.500 --> 01:01:02.250\na &lt;b&gt; → &amp;\n');
  });
});

describe('ASS script', () => {
  const look = { font: 'DejaVu Sans', size: 5, color: '#ffffff', highlightColor: '#ffd60a', outlineColor: '#000000', outline: 3, background: false, position: 'bottom' as const, maxCharsPerLine: 20 };
  const runs = (text: string) => [{ text, family: 'DejaVu Sans' }];

  it('converts colours to &HAABBGGRR', () => {
    expect(assColor('#ffd60a')).toBe('&H000AD6FF');
    expect(assColor('#000000', 0x60)).toBe('&H60000000');
  });

  it('keeps script text from opening override blocks', () => {
    expect(escapeAss('{\\b1}x\ny')).not.toMatch(/[{}\\\n]/);
  });

  it('lights one word per event when words are highlighted', () => {
    const cue = cueOf(estimateWordTimings(['one', 'two', 'three'], 0, 3), shape);
    const events = captionEvents([cue], true);
    expect(events).toHaveLength(3);
    expect(events.map((e) => e.highlight)).toEqual([0, 1, 2]);
    expect(events[1]!.startSeconds).toBe(events[0]!.endSeconds);
    const script = assScript(events, look, { width: 1920, height: 1080 }, runs);
    const dialogue = script.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(dialogue).toHaveLength(3);
    expect(dialogue[1]).toContain('{\\fnDejaVu Sans\\fscx100\\fscy100}one {\\c&H000AD6FF}');
    expect(script).toContain('PlayResX: 1920');
  });

  it('scales runs of fonts whose metrics draw them small, and resets the scale after them', () => {
    const cue = cueOf(estimateWordTimings(['مرحبا', 'hi'], 0, 1), shape);
    const scaled = (text: string) => [{ text, family: /\p{Script=Arabic}/u.test(text) ? 'Noto Sans Arabic' : 'DejaVu Sans', scale: /\p{Script=Arabic}/u.test(text) ? 1.6 : 1 }];
    expect(assScript(captionEvents([cue], false), look, { width: 1920, height: 1080 }, scaled)).toContain('{\\fnNoto Sans Arabic\\fscx160\\fscy160}مرحبا {\\fnDejaVu Sans\\fscx100\\fscy100}hi');
  });

  it('shows a cue as one event without highlight', () => {
    const cue = cueOf(estimateWordTimings(['one', 'two'], 0.5, 2), shape);
    const [event] = captionEvents([cue], false);
    expect(event).toMatchObject({ startSeconds: 0.5, endSeconds: 2 });
    expect(assScript([event!], look, { width: 1080, height: 1920 }, runs)).toContain('Dialogue: 0,0:00:00.50,0:00:02.00,Default,,0,0,0,,{\\fnDejaVu Sans\\fscx100\\fscy100}one {\\fnDejaVu Sans\\fscx100\\fscy100}two');
  });
});

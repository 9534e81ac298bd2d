/**
 * A deterministic narration script of about `seconds` of espeak speech (≈135 words a minute, measured),
 * in paragraphs of three sentences, so every benchmark run renders the same thing.
 */
const WORDS = 'river morning light quiet village bakers ovens mist bridge market children lanterns harbour evening stories travel'.split(' ');

export function scriptOfSeconds(seconds) {
  const words = Math.round((seconds / 60) * 135);
  const sentences = [];
  let count = 0;
  for (let i = 0; count < words; i++) {
    const length = 8 + (i % 5);
    const sentence = Array.from({ length }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]).join(' ');
    sentences.push(`${sentence[0].toUpperCase()}${sentence.slice(1)}.`);
    count += length;
  }
  const paragraphs = [];
  for (let i = 0; i < sentences.length; i += 3) paragraphs.push(sentences.slice(i, i + 3).join(' '));
  return paragraphs.join('\n\n');
}

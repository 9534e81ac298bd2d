/**
 * Texts that have broken renderers in this field: filter-graph and SVG metacharacters, option
 * look-alikes, markup, control characters, wide and right-to-left scripts, emoji, and one
 * 500-character word.
 */
export const HOSTILE_TEXTS: Record<string, string> = {
  quotes: `It's "quoted" and 'single' and \`back\`.`,
  filterMeta: 'Colons: semicolons; commas, back\\slash \\\\ percent 100% %{pts} {braces} [brackets] = equals.',
  optionLike: '-v --help -w /etc/passwd -f x',
  markup: '</text><script>alert(1)</script> &amp; <speak>ssml</speak> ]]> <!-- x -->',
  controls: 'Tab\there, bell\u0007, NUL\u0000, escape\u001b[31m red, form\u000cfeed.',
  newlines: 'Line one\nline two\r\nline three\rend.',
  emoji: 'Rockets 🚀 and families 👨‍👩‍👧‍👦 and flags 🇯🇵 are fine 🎉.',
  cjk: '这是一个测试。日本語のテキストです。한국어 문장입니다.',
  rtl: 'שלום עולם. مرحبا بالعالم. Mixed עברית with English.',
  longWord: 'x'.repeat(500),
};

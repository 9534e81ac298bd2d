import type { VoiceInfo } from '@scriptsensei/core';

/**
 * Parses `espeak-ng --voices` output. Each row names a voice by its language code (what `-v`
 * takes) and lists further languages it serves in `(code priority)` pairs.
 */
export function parseVoicesTable(table: string): VoiceInfo[] {
  const voices: VoiceInfo[] = [];
  for (const line of table.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 5) continue;
    const [, id, , name] = columns;
    const others = [...line.matchAll(/\(([\w-]+) \d+\)/g)].map((m) => m[1]!.toLowerCase());
    voices.push({ id: id!.toLowerCase(), name: name!.replaceAll('_', ' '), languages: [id!.toLowerCase(), ...others] });
  }
  return voices;
}

/**
 * Picks the espeak voice for a BCP-47 tag: an exact voice (`en-us`), then a voice serving the
 * whole tag, then the primary language (`fr-CA` → `fr`), with `zh` mapped to Mandarin.
 */
export function voiceForLanguage(voices: VoiceInfo[], language: string): VoiceInfo | undefined {
  const tag = language.toLowerCase();
  const primary = tag.split('-')[0]!;
  const wanted = [tag, primary === 'zh' ? 'cmn' : primary, primary];
  for (const code of wanted) {
    const exact = voices.find((v) => v.id === code);
    if (exact) return exact;
  }
  for (const code of wanted) {
    const serving = voices.find((v) => v.languages.includes(code));
    if (serving) return serving;
  }
  return undefined;
}

/**
 * Bump when the way queries are built changes: it is part of the provider's fingerprint, so
 * pictures found with the old queries are not served from the artifact cache.
 */
export const QUERY_VERSION = 1;

/** How many keywords a query keeps: stock search works best on a few words. */
const MAX_KEYWORDS = 3;
/** Longer "words" are not words (a URL, a run of one letter) and would match nothing. */
const MAX_WORD_LENGTH = 30;

/**
 * English function words, plus filler common in narration ("today", "let's", "really"): they
 * say nothing about what a picture should show.
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all almost along already also although always am among an and another any anybody
  anyone anything anyway are around as at away back be became because become been before being below beneath beside
  best better between beyond both but by can cannot could did do does doing done down during each either else enough
  even ever every everyone everything few first for from further get gets getting give given go goes going gone got
  had has have having he her here hers herself him himself his how however i if in inside instead into is it its
  itself just keep know last least less let lets like likely made make makes many may maybe me might mine more most
  much must my myself near need needs never new next no nobody none nor not nothing now of off often on once one only
  onto or other others our ours ourselves out over own per perhaps quite rather really right said same say says see
  seem seems several shall she should show shows since so some somebody someone something sometimes soon still such
  take takes tell than that the their theirs them themselves then there these they thing things think this those
  though through throughout thus till to today together too toward towards under unless until up upon us use used
  using very via want wants was way ways we well were what whatever when where whether which while who whom whose why
  will with within without would yes yet you your yours yourself yourselves`.split(/\s+/),
);

/** Endings of adverbs, past participles and adjectives: words a stock search matches poorly. */
const WEAK_ENDING = /(?:ly|ed|ful|less|ous|ive|able|ible)$/;

/**
 * The words of `text` worth searching stock media for, in the order they appear: lowercased,
 * without punctuation, digits, stop words or repeats (a plural counts as its singular), at most
 * `max` of them. When there are more candidates, longer noun-looking words are kept over short
 * words and adverbs or adjectives by their endings (a heuristic, not a grammar).
 */
export function extractKeywords(text: string, max = MAX_KEYWORDS): string[] {
  const candidates: { word: string; position: number; score: number }[] = [];
  const seen = new Set<string>();
  // "ocean's" is about the ocean; digits and punctuation split words and are dropped.
  const words = text.normalize('NFKC').toLowerCase().replace(/['’]s\b/g, '').match(/[\p{L}\p{M}]+/gu) ?? [];
  for (const word of words) {
    const stem = word.length > 3 ? word.replace(/s$/, '') : word;
    if (STOP_WORDS.has(word) || seen.has(stem) || word.length > MAX_WORD_LENGTH) continue;
    // Latin words under three letters are mostly particles; in other scripts two can be a noun.
    if (word.length < (/^\p{Script=Latin}+$/u.test(word) ? 3 : 2)) continue;
    seen.add(stem);
    const score = Math.min(word.length, 10) / (word.length > 4 && WEAK_ENDING.test(word) ? 2 : 1);
    candidates.push({ word, position: candidates.length, score });
  }
  return candidates
    .sort((a, b) => b.score - a.score || a.position - b.position)
    .slice(0, Math.max(0, max))
    .sort((a, b) => a.position - b.position)
    .map((c) => c.word);
}

/** What a scene's stock media is searched by. */
export interface SearchScene {
  text: string;
  title?: string;
  style?: string;
}

/**
 * The queries to try for a scene, best first, each only when the one before found nothing:
 * the scene's keywords with the style's words, then fewer keywords (two, then one), then the
 * title's keywords. Empty when neither the text nor the title has a word to search by.
 */
export function searchQueries(scene: SearchScene): string[] {
  const keywords = extractKeywords(scene.text);
  // Style names are identifiers (`aerial-drone`, `film_noir`): read them as words.
  const style = (scene.style ?? '').replace(/[-_+.]+/g, ' ').replace(/[\p{Cc}\s]+/gu, ' ').trim().toLowerCase();
  const queries = [
    [...keywords, style].filter(Boolean).join(' '),
    keywords.slice(0, 2).join(' '),
    keywords.slice(0, 1).join(' '),
    extractKeywords(scene.title ?? '').join(' '),
  ];
  return [...new Set(queries.filter(Boolean))];
}

/**
 * The guides link to each other: every relative link in README.md and docs/**\/*.md (not the
 * generated docs/api/) must name a file that exists, and a `#fragment` into a Markdown file must
 * name one of its headings (GitHub's anchors: lower case, punctuation dropped, spaces as `-`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, markdownFiles, proseLines } from './markdown.js';

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]+>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(path: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, line] of proseLines(path, readFileSync(path, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n ? `${base}-${n}` : base);
  }
  return anchors;
}

describe('links between the guides', () => {
  it.each(markdownFiles())('%s: relative links point at files and headings that exist', (file) => {
    const broken: string[] = [];
    for (const [number, line] of proseLines(file, readFileSync(join(ROOT, file), 'utf8'))) {
      // Inline code is not a link.
      const text = line.replace(/`[^`]*`/g, '');
      for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1]!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        const [pathPart = '', fragment] = target.split('#');
        const path = pathPart ? normalize(join(dirname(join(ROOT, file)), decodeURIComponent(pathPart))) : join(ROOT, file);
        if (!existsSync(path)) {
          broken.push(`${file}:${number}: ${target}: no file ${relative(ROOT, path)}`);
          continue;
        }
        if (fragment && path.endsWith('.md') && !anchorsOf(path).has(fragment)) {
          broken.push(`${file}:${number}: ${target}: no heading #${fragment} in ${relative(ROOT, path)}`);
        }
      }
    }
    expect(broken, broken.join('\n')).toEqual([]);
  });
});

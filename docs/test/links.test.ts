/**
 * The guides link to each other: every relative link in README.md and docs/**\/*.md (not the
 * generated docs/api/) must name a file that exists, and a `#fragment` into a Markdown file must
 * name one of its headings (GitHub's anchors: lower case, punctuation dropped, spaces as `-`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function markdownFiles(): string[] {
  const files = ['README.md'];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (path !== 'docs/api' && !entry.name.startsWith('.') && entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk('docs');
  return files.sort();
}

/** The text of a Markdown file outside its fenced code blocks, line by line (numbers kept). */
function proseLines(text: string): [number, string][] {
  const lines: [number, string][] = [];
  let fence: string | undefined;
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || (marker[0] === fence[0] && marker.length >= fence.length))) {
      fence = fence ? undefined : marker;
      continue;
    }
    if (!fence) lines.push([i + 1, line]);
  }
  return lines;
}

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
  for (const [, line] of proseLines(readFileSync(path, 'utf8'))) {
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
    for (const [number, line] of proseLines(readFileSync(join(ROOT, file), 'utf8'))) {
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

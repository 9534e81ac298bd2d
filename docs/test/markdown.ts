/**
 * Reading the guides: which Markdown files they are and their fenced blocks, for the snippet
 * test (the blocks' code) and the link test (the prose around them).
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Snippet {
  /** Repository-relative path of the Markdown file. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** 1-based line of the closing fence (past the last line when the block is never closed). */
  end: number;
  language: string;
  code: string;
  /** The path its `// file: <path>` first line names, if any. */
  path?: string;
}

/** README.md and every Markdown file under docs/, except the generated API reference. */
export function markdownFiles(): string[] {
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

/** The fenced blocks of one Markdown file (``` or ~~~, indented ones inside lists included). */
export function fencedBlocks(file: string, text: string): Snippet[] {
  const lines = text.split(/\r?\n/);
  const blocks: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const fence = open[2]!;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).exec(lines[j]!);
      if (close) break;
      // Content of an indented fence loses that indentation (as Markdown renders it).
      const line = lines[j]!;
      const leading = /^ */.exec(line)![0].length;
      body.push(line.slice(Math.min(leading, indent)));
    }
    const named = /^\/\/ file: ([\w.-]+(?:\/[\w.-]+)*)\s*$/.exec(body[0] ?? '');
    blocks.push({ file, line: i + 1, end: j + 1, language: open[3]!.toLowerCase(), code: body.join('\n') + '\n', ...(named ? { path: named[1] } : {}) });
    i = j;
  }
  return blocks;
}

/** The lines of a Markdown file outside its fenced blocks, with their 1-based numbers. */
export function proseLines(file: string, text: string): [number, string][] {
  const fenced = fencedBlocks(file, text);
  return text
    .split(/\r?\n/)
    .map((line, i): [number, string] => [i + 1, line])
    .filter(([number]) => !fenced.some((block) => number >= block.line && number <= block.end));
}

/**
 * Every fenced block of README.md and the guides (docs/**\/*.md, not the generated docs/api/)
 * is checked the way its language allows:
 *
 * - ts, typescript, tsx: type-checked, each block as its own module, in one `tsc` run over a
 *   generated tsconfig (the repo's base settings, `strict`, `@scriptsensei/*` mapped to the
 *   packages' sources as the root tsconfig.json maps them);
 * - js, javascript, mjs: syntax-checked with `node --check`;
 * - sh, bash, shell: `bash -n`;
 * - json: `JSON.parse`;
 * - yaml, yml: parsed with `yaml` (every document of the block);
 * - python, py: `python3 -m py_compile`;
 * - dockerfile: the dockerfile-utils linter's errors (a fragment without `FROM` is allowed);
 * - env, dotenv: every line `NAME=value` (or `export NAME=value`), a comment or blank;
 * - ini, systemd: every line a `[section]`, `key=value`, a comment or blank.
 *
 * Blocks that are not code (terminal output, an HTTP exchange, a diagram) must say so with one of
 * {@link NOT_CODE}; a block without a language, or in a language with no check here, fails.
 * A snippet that continues an earlier one declares what it uses (`declare const pipeline: Pipeline;`).
 * A TypeScript or JavaScript snippet whose first line is `// file: <path>` is written at that path,
 * in a folder per Markdown file, so the snippets of one guide can import each other
 * (`import { createAcmeTTS } from '../src/acme-tts.js'`).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, fencedBlocks, markdownFiles, type Snippet } from './markdown.js';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { parseAllDocuments } from 'yaml';

const run = promisify(execFile);

/** Fence languages of blocks that are not code, so nothing checks them. */
const NOT_CODE = ['text', 'txt', 'plaintext', 'http', 'console', 'output', 'tree', 'diff'];

type Kind = 'ts' | 'tsx' | 'js' | 'sh' | 'json' | 'yaml' | 'python' | 'dockerfile' | 'env' | 'ini' | 'none';
const KINDS: Record<string, Kind> = {
  ts: 'ts',
  typescript: 'ts',
  tsx: 'tsx',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
  sh: 'sh',
  bash: 'sh',
  shell: 'sh',
  json: 'json',
  yaml: 'yaml',
  yml: 'yaml',
  python: 'python',
  py: 'python',
  dockerfile: 'dockerfile',
  containerfile: 'dockerfile',
  env: 'env',
  dotenv: 'env',
  ini: 'ini',
  systemd: 'ini',
  ...Object.fromEntries(NOT_CODE.map((language) => [language, 'none' as const])),
};

const snippets = markdownFiles().flatMap((file) => fencedBlocks(file, readFileSync(join(ROOT, file), 'utf8')));
const where = (s: Snippet) => `${s.file}:${s.line}`;
const kindOf = (s: Snippet): Kind | undefined => KINDS[s.language];
const ofKind = (...kinds: Kind[]) => snippets.filter((s) => kinds.includes(kindOf(s)!));
/** A file name for the snippet, unique and telling where it comes from (or the one it names, in its guide's folder). */
const fileName = (s: Snippet, extension: string) =>
  s.path ? `${s.file.replace(/[^\w]+/g, '_')}/${s.path}` : `${s.file.replace(/[^\w]+/g, '_')}_L${s.line}${extension}`;

/**
 * The tsconfig the TypeScript snippets are checked with: the repo's base options, strict, and
 * `@scriptsensei/*` resolved to the packages' sources. Other bare imports resolve from the
 * folder's own node_modules (see {@link linkModules}).
 */
function snippetTsconfig(dir: string, files: string[]) {
  const rel = (path: string) => {
    const r = relative(dir, join(ROOT, path)).split('\\').join('/');
    return r.startsWith('.') ? r : `./${r}`;
  };
  const paths: Record<string, string[]> = {};
  for (const pkg of readdirSync(join(ROOT, 'packages'))) {
    if (!existsSync(join(ROOT, 'packages', pkg, 'src/index.ts'))) continue;
    paths[`@scriptsensei/${pkg}`] = [rel(`packages/${pkg}/src/index.ts`)];
    if (existsSync(join(ROOT, 'packages', pkg, 'src/testing/index.ts'))) paths[`@scriptsensei/${pkg}/testing`] = [rel(`packages/${pkg}/src/testing/index.ts`)];
  }
  paths['@scriptsensei/adapters/express'] = [rel('packages/adapters/src/http/express-router.ts')];
  paths['@scriptsensei/adapters/*'] = [rel('packages/adapters/src/*/index.ts')];
  paths['@scriptsensei/react/compat'] = [rel('packages/react/src/compat/index.ts')];
  return {
    extends: rel('tsconfig.base.json'),
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      jsx: 'react-jsx',
      types: ['node'],
      moduleDetection: 'force',
      allowJs: false,
      checkJs: false,
      paths,
    },
    files,
  };
}

/**
 * A node_modules folder beside the snippets with a link to every package the workspace installed
 * (the root's first, then each package's and example's), so a snippet's `import express from
 * 'express'` or `from 'hono'` resolves as in an application that installed it, and the packages'
 * own imports still resolve from where they really are.
 */
async function linkModules(dir: string): Promise<void> {
  const sources = ['node_modules'];
  for (const group of ['packages', 'examples']) {
    for (const name of readdirSync(join(ROOT, group)).sort()) {
      if (existsSync(join(ROOT, group, name, 'node_modules'))) sources.push(`${group}/${name}/node_modules`);
    }
  }
  const linked = new Set<string>();
  for (const source of sources) {
    for (const entry of readdirSync(join(ROOT, source))) {
      if (entry.startsWith('.') || entry === '@scriptsensei') continue;
      const names = entry.startsWith('@') ? readdirSync(join(ROOT, source, entry)).map((n) => `${entry}/${n}`) : [entry];
      for (const name of names) {
        if (linked.has(name)) continue;
        linked.add(name);
        await mkdir(dirname(join(dir, 'node_modules', name)), { recursive: true });
        await symlink(join(ROOT, source, name), join(dir, 'node_modules', name), 'dir');
      }
    }
  }
}

let dir: string;
/** tsc's errors by snippet file name; `outside` holds errors in files that are not snippets. */
const tsErrors = new Map<string, string[]>();
const outside: string[] = [];

beforeAll(async () => {
  await mkdir(join(ROOT, '.vitest-tmp'), { recursive: true });
  dir = await mkdtemp(join(ROOT, '.vitest-tmp', 'snippets-'));
  const typed = ofKind('ts', 'tsx');
  const names = typed.map((s) => fileName(s, kindOf(s) === 'tsx' ? '.tsx' : '.ts'));
  for (const [i, s] of typed.entries()) {
    await mkdir(dirname(join(dir, names[i]!)), { recursive: true });
    await writeFile(join(dir, names[i]!), s.code);
  }
  await linkModules(dir);
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(snippetTsconfig(dir, names), null, 2));
  if (!typed.length) return;
  const tsc = join(ROOT, 'node_modules/.bin/tsc');
  const output = await run(tsc, ['-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => r.stdout,
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
  );
  // Errors are `path(line,col): error TSnnnn: message`, continuation lines indented.
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/.exec(line);
    if (m) {
      const name = relative(dir, resolve(dir, m[1]!));
      const snippet = names.indexOf(name);
      if (snippet >= 0) {
        const s = typed[snippet]!;
        current = tsErrors.get(name) ?? [];
        tsErrors.set(name, current);
        current.push(`${s.file}:${s.line + Number(m[2])}:${m[3]} ${m[4]}`);
      } else {
        current = outside;
        outside.push(`${relative(ROOT, resolve(dir, m[1]!))}(${m[2]},${m[3]}): ${m[4]}`);
      }
    } else if (line.trim() && current) {
      current.push(`  ${line.trim()}`);
    } else if (line.trim() && !m) {
      outside.push(line.trim());
    }
  }
}, 240_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('code snippets in README.md and docs/', () => {
  it('found the guides and their snippets', () => {
    expect(snippets.length).toBeGreaterThan(20);
    const counts: Record<string, number> = {};
    for (const s of snippets) counts[s.language || '(none)'] = (counts[s.language || '(none)'] ?? 0) + 1;
    console.log(`snippets by fence language: ${JSON.stringify(counts)}`);
  });

  it('no two snippets of a guide name the same file', () => {
    const seen = new Map<string, Snippet>();
    const clashes = snippets.filter((s) => s.path).flatMap((s) => {
      const key = fileName(s, '');
      const first = seen.get(key);
      seen.set(key, s);
      return first ? [`${where(s)} and ${where(first)} both name ${s.path}`] : [];
    });
    expect(clashes, clashes.join('\n')).toEqual([]);
  });

  it('every fenced block names a language this test checks, or a non-code one', () => {
    const bad = snippets
      .filter((s) => !kindOf(s))
      .map((s) => `${where(s)}: ${s.language ? `no check for "${s.language}"` : 'no language'}; use a code language or one of ${NOT_CODE.join(', ')}`);
    expect(bad, bad.join('\n')).toEqual([]);
  });

  it('type-checking reported nothing outside the snippets', () => {
    expect(outside, outside.join('\n')).toEqual([]);
  });

  describe.each(ofKind('ts', 'tsx').map((s) => [where(s), s] as const))('%s', (_name, s) => {
    it('type-checks', () => {
      const errors = tsErrors.get(fileName(s, kindOf(s) === 'tsx' ? '.tsx' : '.ts')) ?? [];
      expect(errors, `${where(s)} (${s.language}) does not type-check:\n${errors.join('\n')}`).toEqual([]);
    });
  });

  it.each(ofKind('js').map((s) => [where(s), s] as const))('%s is valid JavaScript (node --check)', async (_name, s) => {
    const path = join(dir, fileName(s, '.mjs'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, s.code);
    const problem = await run(process.execPath, ['--check', path]).then(
      () => '',
      (error: { stderr?: string }) => error.stderr ?? String(error),
    );
    expect(problem, `${where(s)} is not valid JavaScript:\n${problem}`).toBe('');
  });

  it.each(ofKind('sh').map((s) => [where(s), s] as const))('%s is valid shell (bash -n)', async (_name, s) => {
    const path = join(dir, fileName(s, '.sh'));
    await writeFile(path, s.code);
    const problem = await run('bash', ['-n', path]).then(
      () => '',
      (error: { stderr?: string }) => error.stderr ?? String(error),
    );
    expect(problem, `${where(s)} is not valid shell:\n${problem}`).toBe('');
  });

  it.each(ofKind('json').map((s) => [where(s), s] as const))('%s is valid JSON', (_name, s) => {
    let problem = '';
    try {
      JSON.parse(s.code);
    } catch (error) {
      problem = (error as Error).message;
    }
    expect(problem, `${where(s)} is not valid JSON: ${problem}`).toBe('');
  });

  it.each(ofKind('yaml').map((s) => [where(s), s] as const))('%s is valid YAML', (_name, s) => {
    const problems = parseAllDocuments(s.code).flatMap((doc) => ('errors' in doc ? doc.errors.map((e) => e.message) : []));
    expect(problems, `${where(s)} is not valid YAML:\n${problems.join('\n')}`).toEqual([]);
  });

  it.each(ofKind('dockerfile').map((s) => [where(s), s] as const))('%s is a valid Dockerfile (dockerfile-utils)', (_name, s) => {
    const problems = lintDockerfile(s.code)
      .map((d) => ({ ...d, text: typeof d.message === 'string' ? d.message : d.message.value }))
      .filter((d) => d.severity === 1 && !/No source image provided/.test(d.text))
      .map((d) => `line ${d.range.start.line + 1}: ${d.text}`);
    expect(problems, `${where(s)} is not a valid Dockerfile:\n${problems.join('\n')}`).toEqual([]);
  });

  it.each(ofKind('env', 'ini').map((s) => [where(s), s] as const))('%s is valid env/ini syntax', (_name, s) => {
    const line = kindOf(s) === 'env' ? /^\s*(#.*|(export\s+)?[A-Za-z_][A-Za-z0-9_]*=.*)?$/ : /^\s*([#;].*|\[[^\]]+\]|[\w.@-]+\s*=.*)?$/;
    const problems = s.code
      .split('\n')
      .map((text, i) => [i + 1, text] as const)
      .filter(([, text]) => !line.test(text))
      .map(([n, text]) => `line ${n}: ${text}`);
    expect(problems, `${where(s)} is not valid ${s.language}:\n${problems.join('\n')}`).toEqual([]);
  });

  it.each(ofKind('python').map((s) => [where(s), s] as const))('%s is valid Python (py_compile)', async (_name, s) => {
    const path = join(dir, fileName(s, '.py'));
    await writeFile(path, s.code);
    const problem = await run('python3', ['-m', 'py_compile', path]).then(
      () => '',
      (error: { stderr?: string; code?: string }) => (error.code === 'ENOENT' ? 'python3 is not installed' : (error.stderr ?? String(error))),
    );
    expect(problem, `${where(s)} is not valid Python:\n${problem}`).toBe('');
  });
});

// Readers for the deployment files, as Docker and Compose read them, for checks that need no engine.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const read = (path: string) => readFileSync(join(root, path), 'utf8');

// ---------------------------------------------------------------------------------- Dockerfile

export interface Instruction {
  keyword: string;
  /** The arguments, continuation lines joined, heredoc bodies left out. */
  args: string;
  /** Leading `--name=value` flags. */
  flags: Record<string, string>;
  /** Heredoc bodies (`<<'EOF'` … `EOF`) in order. */
  heredocs: string[];
  line: number;
}

export interface Stage {
  name: string | undefined;
  /** The image or stage it starts from, build ARG defaults substituted. */
  from: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile: comments and parser directives dropped, continuations joined. */
export function parseDockerfile(text: string): Stage[] {
  const lines = text.split('\n');
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i]!;
    if (!first.trim() || first.trimStart().startsWith('#')) continue;
    const line = i + 1;
    let source = first;
    while (source.endsWith('\\')) source = `${source.slice(0, -1)} ${lines[++i] ?? ''}`;
    const heredocs: string[] = [];
    for (const [, delimiter] of source.matchAll(/<<-?['"]?(\w+)['"]?/g)) {
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== delimiter) body.push(lines[i]!);
      heredocs.push(body.join('\n'));
    }
    const [, keyword = '', rest = ''] = /^\s*(\w+)\s*(.*)$/s.exec(source) ?? [];
    const flags: Record<string, string> = {};
    let body = rest.trim();
    for (let flag; (flag = /^--([\w-]+)(?:=(\S*))?\s*/.exec(body)); body = body.slice(flag[0].length)) flags[flag[1]!] = flag[2] ?? '';
    const instruction = { keyword: keyword.toUpperCase(), args: body.replace(/\s+/g, ' ').trim(), flags, heredocs, line };
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name = '', value = ''] = instruction.args.split('=');
      args[name] = value;
    } else if (instruction.keyword === 'FROM') {
      const [image = '', , name] = instruction.args.split(' ');
      stages.push({ name, from: image.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? ''), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The arguments of an exec-form instruction (`["node", "x.mjs"]`), or the shell form's words. */
export function execForm(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args];
}

/** `ENV A=1 B=2` instructions of a stage, merged. */
export function stageEnv(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage.instructions) {
    if (keyword !== 'ENV') continue;
    for (const pair of args.split(' ')) {
      const [name = '', ...value] = pair.split('=');
      env[name] = value.join('=');
    }
  }
  return env;
}

// ------------------------------------------------------------------------------- .dockerignore

/**
 * Whether `.dockerignore` keeps `path` (relative to the context) out of the build context, with
 * Docker's rules: `*` and `?` within a path segment, `**` across segments, `!` re-includes, the
 * last matching line wins, and a pattern matching a folder matches everything in it.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = posix.normalize(line.slice(include ? 1 : 0).trim()).replace(/^\/+|\/+$/g, '');
      return { include, regex: globRegex(pattern) };
    });
  return (path) => {
    const segments = posix.normalize(path).split('/');
    const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const { include, regex } of rules) if (candidates.some((candidate) => regex.test(candidate))) excluded = !include;
    return excluded;
  };
}

function globRegex(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      source += pattern.slice(i, end + 1).replace('[!', '[^');
      i = end;
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

// ------------------------------------------------------------------------------------ Compose

export interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  profiles?: string[];
  deploy?: { replicas?: number };
  container_name?: string;
  stop_grace_period?: string;
}
export interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/**
 * The compose file as Compose sees it with `vars` as the shell and .env: merge keys applied,
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}` interpolated, `$$` turned into `$`.
 * The raw form (`interpolate: false`) keeps the `${…}` references, to see what feeds what.
 */
export function loadCompose(vars: Record<string, string> = {}, { interpolate = true } = {}): ComposeFile {
  const raw = parseYaml(read('docker-compose.yml'), { merge: true }) as unknown;
  return (interpolate ? interpolateAll(raw, vars) : raw) as ComposeFile;
}

function interpolateAll(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{(\w+)(?:(:?)-([^}]*))?\}|\$(\w+)/g, (match, braced, colon, fallback, bare) => {
      if (match === '$$') return '$';
      const current = vars[braced ?? bare];
      if (fallback === undefined) return current ?? '';
      return current === undefined || (colon && current === '') ? fallback : current;
    });
  }
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, vars)]));
  return value;
}

/** A service's environment as its process gets it: a variable without a value comes from `vars`, or stays unset. */
export function serviceEnv(service: Service, vars: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(service.environment ?? {})) {
    const resolved = value ?? vars[name];
    if (resolved !== undefined) env[name] = String(resolved);
  }
  return env;
}

/** A Compose duration (`1m30s`, `40s`, `500ms`) in milliseconds. */
export function durationMs(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001 };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|h|m|s)/g)) total += Number(amount) * units[unit!]!;
  return total;
}

// ------------------------------------------------------------------------------------ sources

/** The code the image runs, comments left out: what an environment variable must appear in to be read. */
export function runtimeSources(): string {
  const files = ['examples/shared/engine.mjs', 'examples/shared/serve.mjs', 'examples/express-server/server.mjs', 'examples/worker/worker.mjs'];
  for (const pkg of ['core', 'adapters', 'fonts', 'cli']) files.push(...walk(`packages/${pkg}/src`).filter((file) => file.endsWith('.ts')));
  return files
    .map((file) => read(file).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1'))
    .join('\n');
}

/** Files under `dir` (relative to the repository), skipping installed and generated folders. */
export function walk(dir: string): string[] {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return ['node_modules', 'dist', '.next'].includes(entry.name) ? [] : walk(path);
    return [path];
  });
}

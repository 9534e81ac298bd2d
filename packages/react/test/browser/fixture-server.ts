import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** React itself from the root's `react-18`/`react-dom-18` aliases, to test the other supported major. */
const REACT_18 = {
  react: src('../../../../node_modules/react-18'),
  'react-dom': src('../../../../node_modules/react-dom-18'),
};

/**
 * Bundles fixture.tsx (React in development mode, so StrictMode double-mounts) with the packages'
 * sources, on React 19 (the workspace's) or 18, and serves it over HTTP on a free port.
 */
export async function startFixture(react: 18 | 19 = 19) {
  const dir = mkdtempSync(join(tmpdir(), 'ss-react-fixture-'));
  await build({
    entryPoints: [src('./fixture.tsx')],
    bundle: true,
    outfile: join(dir, 'fixture.js'),
    format: 'esm',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"development"' },
    alias: {
      '@scriptsensei/client': src('../../../client/src/index.ts'),
      '@scriptsensei/react/compat': src('../../src/compat/index.ts'),
      '@scriptsensei/react': src('../../src/index.ts'),
      ...(react === 18 ? REACT_18 : {}),
    },
    logLevel: 'error',
  });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fixture</title></head><body><div id="root"></div><script type="module" src="/fixture.js"></script></body></html>');
  const server = createServer((req, res) => {
    const file = req.url?.startsWith('/fixture.js') ? 'fixture.js' : 'index.html';
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
    res.end(readFileSync(join(dir, file)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

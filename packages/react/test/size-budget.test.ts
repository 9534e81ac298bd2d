import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

// `pnpm size` in the test suite: the budget is kept by every change, not by whoever remembers.
describe('front-end size budget (.size-limit.json)', () => {
  it('keeps @scriptsensei/client + @scriptsensei/react within their limit, minified and gzipped', async () => {
    // `pnpm test` builds first; the budget is about what is published.
    expect(existsSync(`${root}packages/react/dist/index.js`), 'run `pnpm build` first').toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, [`${root}node_modules/size-limit/bin.js`, '--json'], { cwd: root }).catch((e: { stdout: string }) => e);
    const results = JSON.parse(stdout) as { name: string; size: number; passed: boolean }[];
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r, `${r.name}: ${r.size} bytes`).toMatchObject({ passed: true });
  });
});

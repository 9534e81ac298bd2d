import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const typedoc = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8')) as { entryPoints: string[]; validation: Record<string, boolean>; treatWarningsAsErrors: boolean };

/** The source file behind an export subpath (the tsup entries follow this layout). */
const sourceOf = (pkg: string, subpath: string) =>
  subpath === '.' ? `packages/${pkg}/src/index.ts` : subpath === './express' ? `packages/${pkg}/src/http/express-router.ts` : `packages/${pkg}/src/${subpath.slice(2)}/index.ts`;

describe('the API reference (typedoc)', () => {
  it('documents every export subpath of every published package, the HTTP API included', () => {
    const expected = readdirSync(join(root, 'packages')).flatMap((pkg) => {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as { exports?: Record<string, unknown> };
      const index = readFileSync(join(root, 'packages', pkg, 'src/index.ts'), 'utf8');
      return (
        Object.keys(manifest.exports ?? {})
          .filter((subpath) => subpath !== './package.json')
          // A subpath the package's root re-exports whole is documented there.
          .filter((subpath) => !index.includes(`export * from './${subpath.slice(2)}/index.js'`))
          .map((subpath) => sourceOf(pkg, subpath))
      );
    });
    for (const file of expected) expect(existsSync(join(root, file)), file).toBe(true);
    // express-router.ts re-exports what http/index.ts documents.
    expect([...typedoc.entryPoints].sort()).toEqual(expected.filter((f) => !f.endsWith('express-router.ts')).sort());
  });

  it('builds with every validation on and not one warning: nothing undocumented, unexported or badly linked', { timeout: 180_000 }, async () => {
    expect(typedoc.validation).toMatchObject({ notExported: true, invalidLink: true, notDocumented: true });
    expect(typedoc.treatWarningsAsErrors).toBe(true);
    const { stdout, stderr } = await run(join(root, 'node_modules/.bin/typedoc'), ['--emit', 'none'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    expect(`${stdout}${stderr}`.split('\n').filter((line) => /warning|error/i.test(line))).toEqual([]);
  });
});

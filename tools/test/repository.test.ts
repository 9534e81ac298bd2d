import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const git = async (...args: string[]) => (await run('git', args, { cwd: root })).stdout;
const manifests = ['package.json', ...readdirSync(join(root, 'packages')).map((p) => `packages/${p}/package.json`)].map(
  (file) => [file, JSON.parse(readFileSync(join(root, file), 'utf8')) as { engines?: { node?: string } }] as const,
);

describe('the repository', () => {
  it('tracks nothing generated: no renders, audio, pictures, streams or databases', async () => {
    const tracked = (await git('ls-files')).split('\n');
    expect(tracked.filter((file) => /\.(mp4|webm|mov|wav|mp3|m4a|aac|jpe?g|png|webp|m3u8|m4s|ts\.part|sqlite\d?|db)$/i.test(file))).toEqual([]);
    expect(tracked.filter((file) => /(^|\/)(storage|out|dist|coverage)\//.test(file) && !file.startsWith('packages/adapters/src/storage/'))).toEqual([]);
  });

  it('ignores what renders and builds leave behind', async () => {
    const probes = ['storage/videos/a.mp4', 'out/welcome.mp4', 'packages/core/dist/index.js', 'docs/api/index.html', '.vitest-tmp/x'];
    const ignored = (await git('check-ignore', ...probes)).trim().split('\n');
    expect(ignored).toEqual(probes);
  });

  it('names the Node.js lines CI tests, the same in every package, and runs on one of them', () => {
    for (const [file, manifest] of manifests) expect(manifest.engines?.node, file).toBe('^20.19.0 || ^22.12.0 || ^24.0.0');
    const ci = readFileSync(join(root, '.ci/run'), 'utf8');
    expect(ci).toMatch(/for major in 22 24/);
    expect(['20', '22', '24']).toContain(process.versions.node.split('.')[0]);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, ScriptSenseiError } from '../errors.js';
import type { ImageProvider, ImageRequest } from '../specs/image-provider.js';
import { HOSTILE_TEXTS } from './hostile-text.js';
import { probeMedia, sniffImageFormat } from './media-checks.js';

export interface ImageContractOptions {
  name: string;
  create: () => ImageProvider | Promise<ImageProvider>;
  capabilities?: {
    /** Images come out exactly at the requested size (otherwise the pipeline letterboxes them). */
    exactSize?: boolean;
  };
  skip?: string;
}

/** The behaviour every `ImageProvider` must show. */
export function runImageProviderContract(options: ImageContractOptions): void {
  describe.skipIf(Boolean(options.skip))(`ImageProvider contract: ${options.name}`, () => {
    let provider: ImageProvider;
    let dir: string;
    const request = (name: string, overrides: Partial<ImageRequest> = {}): ImageRequest => ({
      text: 'A calm scene with a short caption.',
      title: 'Contract',
      sceneIndex: 0,
      sceneCount: 3,
      width: 1920,
      height: 1080,
      outputPath: join(dir, name),
      ...overrides,
    });

    beforeAll(async () => {
      provider = await options.create();
      dir = await mkdtemp(join(tmpdir(), 'image-contract-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('declares its specification version and id', () => {
      expect(provider.specificationVersion).toBe('v1');
      expect(provider.provider).toMatch(/^[\w-]+$/);
    });

    for (const [width, height] of [
      [1920, 1080],
      [1080, 1920],
      [1080, 1080],
    ] as const) {
      it(`writes an image in the format it returns (${width}x${height})`, async () => {
        const req = request(`size-${width}x${height}`, { width, height });
        const { format } = await provider.generate(req);
        expect(await sniffImageFormat(req.outputPath)).toBe(format);
        if (options.capabilities?.exactSize) {
          const video = (await probeMedia(req.outputPath)).streams[0]!;
          expect([video.width, video.height]).toEqual([width, height]);
        }
      });
    }

    for (const [label, text] of Object.entries(HOSTILE_TEXTS)) {
      it(`renders hostile text (${label}) or fails with a typed error`, async () => {
        const req = request(`hostile-${label}`, { text, title: text.slice(0, 80) });
        try {
          const { format } = await provider.generate(req);
          expect(await sniffImageFormat(req.outputPath)).toBe(format);
        } catch (error) {
          expect(ScriptSenseiError.is(error), String(error)).toBe(true);
        }
      });
    }

    it('rejects with CancelledError when the signal has already fired', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(provider.generate(request('cancelled', { signal: controller.signal }))).rejects.toSatisfy(CancelledError.is);
    });
  });
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, ScriptSenseiError } from '../errors.js';
import type { ClipFormat, ImageProvider, ImageRequest, ImageResult } from '../specs/image-provider.js';
import { HOSTILE_TEXTS } from './hostile-text.js';
import { probeMedia, sniffImageFormat } from './media-checks.js';

const CLIP_FORMATS: ClipFormat[] = ['mp4', 'webm', 'mov'];

export interface ImageContractOptions {
  name: string;
  create: () => ImageProvider | Promise<ImageProvider>;
  capabilities?: {
    /** Images come out exactly at the requested size (otherwise the pipeline letterboxes them). */
    exactSize?: boolean;
    /** A `v2` provider that answers with clips: results must be playable videos. */
    clips?: boolean;
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
      durationSeconds: 4,
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
      expect(['v1', 'v2']).toContain(provider.specificationVersion);
      expect(provider.provider).toMatch(/^[\w-]+$/);
      if (options.capabilities?.clips) expect(provider.specificationVersion).toBe('v2');
    });

    /** Checks what `generate` wrote is what it said: a still of that encoding, or a video clip. */
    async function expectWritten(path: string, result: ImageResult): Promise<void> {
      if (result.kind === 'clip') {
        expect(provider.specificationVersion, 'only v2 providers may answer with clips').toBe('v2');
        expect(CLIP_FORMATS).toContain(result.format);
        const probed = await probeMedia(path);
        const video = probed.streams.find((s) => s.codecType === 'video');
        expect(video, 'a clip holds a video stream').toBeDefined();
        expect(probed.format.duration).toBeGreaterThan(0);
        return;
      }
      expect(await sniffImageFormat(path)).toBe(result.format);
    }

    for (const [width, height] of [
      [1920, 1080],
      [1080, 1920],
      [1080, 1080],
    ] as const) {
      it(`writes an image in the format it returns (${width}x${height})`, async () => {
        const req = request(`size-${width}x${height}`, { width, height });
        const result = await provider.generate(req);
        await expectWritten(req.outputPath, result);
        if (options.capabilities?.clips) expect(result.kind).toBe('clip');
        if (options.capabilities?.exactSize && result.kind !== 'clip') {
          const video = (await probeMedia(req.outputPath)).streams[0]!;
          expect([video.width, video.height]).toEqual([width, height]);
        }
      });
    }

    for (const [label, text] of Object.entries(HOSTILE_TEXTS)) {
      it(`renders hostile text (${label}) or fails with a typed error`, async () => {
        const req = request(`hostile-${label}`, { text, title: text.slice(0, 80) });
        try {
          await expectWritten(req.outputPath, await provider.generate(req));
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

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '@scriptsensei/core';
import { createAzureTTS } from '@scriptsensei/adapters/tts/azure';
import { startVendorServer, toneWav } from './helpers/vendor-server.js';

// `ws` is an optional peer: here it is not installed.
vi.mock('ws', () => {
  throw new Error("Cannot find package 'ws'");
});

const server = await startVendorServer(() => ({ headers: { 'content-type': 'audio/x-wav' }, body: toneWav(1) }));
const scratch = mkdtempSync(join(tmpdir(), 'azure-no-ws-'));
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('azure-tts without the ws package', () => {
  const options = { apiKey: 'key-without-ws-123', baseUrl: server.url, voice: 'en-US-JennyNeural', env: {} };

  it('loads; word boundaries are then a ConfigurationError saying what to install', async () => {
    const tts = createAzureTTS(options);
    const error = await tts.synthesize({ text: 'Hi.', language: 'en-US', outputPath: join(scratch, 'never.wav') }).catch((e: unknown) => e);
    expect(ConfigurationError.is(error) && error.message).toMatch(/npm install ws/);
    await expect(tts.healthCheck()).rejects.toSatisfy(ConfigurationError.is);
  });

  it('the REST transport needs no ws', async () => {
    const result = await createAzureTTS({ ...options, wordBoundaries: false }).synthesize({ text: 'Hi.', language: 'en-US', outputPath: join(scratch, 'rest.wav') });
    expect(result.durationSeconds).toBeCloseTo(1, 3);
  });
});

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError, ValidationError, createPipeline, createVideoJobs, type TTSProvider, type VideoJobs, type VoiceInfo } from '@scriptsensei/core';
import { createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { createJobsApi, type JobsApi } from '@scriptsensei/adapters/http';

const ORIGIN = 'http://api.test';

/** A TTS provider that never speaks here (no job runs): it answers voice questions only. */
function voiceList(id: string, voices: VoiceInfo[] | Error): TTSProvider {
  return {
    specificationVersion: 'v1',
    provider: id,
    wordTimings: id === 'timed',
    synthesize: () => Promise.reject(new Error('not in this test')),
    async listVoices() {
      if (voices instanceof Error) throw voices;
      return voices;
    },
    async resolveVoice(language, voice) {
      const list = voices instanceof Error ? [] : voices;
      if (voice && !list.some((v) => v.id === voice)) throw new ValidationError([{ field: 'voice', message: `${id} has no voice "${voice}"` }]);
      return voice ?? list[0]?.id ?? 'default';
    },
  };
}

let jobs: VideoJobs;
let api: JobsApi;
let strict: JobsApi;
beforeAll(async () => {
  const pipeline = createPipeline({
    tts: voiceList('timed', [
      { id: 'de-DE-Anna', name: 'Anna', languages: ['de-DE'] },
      { id: 'en-US-Ben', name: 'Ben', languages: ['en-US'] },
    ]),
    voices: [voiceList('broken', new ProviderError('broken', 'voice list failed (/voices): HTTP 503: busy')), voiceList('plain', [{ id: 'fr', name: 'French', languages: ['fr'] }])],
    images: createSlides(),
    // No job runs here: nothing is ever written to this directory.
    storage: createLocalStorage({ directory: join(tmpdir(), 'http-providers-unused') }),
  });
  jobs = await createVideoJobs({ pipeline, concurrency: 0 });
  api = createJobsApi(jobs, { basePath: '', rateLimit: false });
  strict = createJobsApi(jobs, { basePath: '', rateLimit: false, strictVoiceProvider: true });
});
afterAll(() => jobs.close());

const get = (path: string) => api.fetch(new Request(`${ORIGIN}${path}`));
const create = (target: JobsApi, videoRequest: Record<string, unknown>) =>
  target.fetch(new Request(`${ORIGIN}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ video_request: { script_content: 'Hello there.', ...videoRequest } }) }));

describe('GET /providers', () => {
  it('lists the TTS providers with their voices, the default first, and says why one has none', async () => {
    const response = await get('/providers');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      tts: [
        { id: 'timed', default: true, word_timings: true, voices: [{ id: 'de-DE-Anna', name: 'Anna', languages: ['de-DE'] }, { id: 'en-US-Ben', name: 'Ben', languages: ['en-US'] }] },
        { id: 'broken', default: false, word_timings: false, voices: null, voices_error: 'broken: voice list failed (/voices): HTTP 503: busy' },
        { id: 'plain', default: false, word_timings: false, voices: [{ id: 'fr', name: 'French', languages: ['fr'] }] },
      ],
      images: { id: 'slides', specification_version: 'v1' },
      storage: { id: 'local' },
    });
  });

  it('keeps the voices serving a language, and refuses a malformed one', async () => {
    const body = (await (await get('/providers?language=de')).json()) as { tts: { id: string; voices: { id: string }[] | null }[] };
    expect(body.tts.map((t) => [t.id, t.voices?.map((v) => v.id) ?? null])).toEqual([
      ['timed', ['de-DE-Anna']],
      ['broken', null],
      ['plain', []],
    ]);
    const fr = (await (await get('/providers?language=fr-CA')).json()) as { tts: { voices: { id: string }[] | null }[] };
    expect(fr.tts[2]!.voices).toEqual([{ id: 'fr', name: 'French', languages: ['fr'] }]);
    const bad = await get('/providers?language=%3Cscript%3E');
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('query.language');
  });
});

describe('voice_provider on a new job', () => {
  it('keeps a configured provider on the job, case-insensitively, with no warning', async () => {
    const response = await create(api, { voice_provider: 'Plain', voice: 'fr' });
    expect(response.status).toBe(202);
    const job = (await response.json()) as { video_request: Record<string, unknown>; warnings: string[] };
    expect(job.video_request).toMatchObject({ voice_provider: 'plain', voice: 'fr' });
    expect(job.warnings).toEqual([]);
  });

  it('checks the voice with the provider named (422 on video_request.voice)', async () => {
    const response = await create(api, { voice_provider: 'plain', voice: 'de-DE-Anna' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { fields: { field: string; message: string }[] } };
    expect(body.error.fields).toEqual([{ field: 'video_request.voice', message: 'plain has no voice "de-DE-Anna"' }]);
  });

  it('narrates an unconfigured provider with the default, saying so; strict servers refuse it', async () => {
    const response = await create(api, { voice_provider: 'azure', voice: 'en-US-JennyNeural' });
    expect(response.status).toBe(202);
    const job = (await response.json()) as { video_request: Record<string, unknown>; warnings: string[] };
    expect(job.video_request.voice_provider).toBeUndefined();
    expect(job.video_request.voice).toBeUndefined();
    expect(job.warnings).toEqual(['voice_provider "azure" is not configured here; narrated with "timed" instead']);
    const refused = await create(strict, { voice_provider: 'azure' });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { fields: { field: string; message: string }[] } };
    expect(body.error.fields).toEqual([{ field: 'video_request.voice_provider', message: '"azure" is not configured; use one of timed, broken, plain' }]);
  });
});

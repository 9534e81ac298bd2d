import { describe, expect, expectTypeOf, it } from 'vitest';
import type { JobRecord } from '@scriptsensei/core';
import { sampleJob } from '@scriptsensei/core/testing';
import { templateToWire, toWire, type WireJob as ServerWireJob } from '@scriptsensei/adapters/http';
import type { JobTemplate, VideoJob, WireJob as ClientWireJob, WireTemplate } from '@scriptsensei/client';
import { createBody, fromWire } from '../src/wire.js';
import { startReferenceServer } from '../../../tools/testing/reference-server.js';

// The client reads the server's wire format by its own declarations (it cannot import the
// server). These tests fail when the two drift: a field added, renamed or retyped on one side.

type Keys<T> = keyof NonNullable<T>;

describe('wire format: client and server agree', () => {
  it('declares the same fields, with compatible types (checked by tsc)', () => {
    expectTypeOf<Keys<ServerWireJob>>().toEqualTypeOf<Keys<ClientWireJob>>();
    expectTypeOf<Keys<ServerWireJob['result']>>().toEqualTypeOf<Keys<ClientWireJob['result']>>();
    expectTypeOf<Keys<ServerWireJob['error']>>().toEqualTypeOf<Keys<ClientWireJob['error']>>();
    expectTypeOf<Keys<ServerWireJob['video_request']>>().toEqualTypeOf<Exclude<Keys<ClientWireJob['video_request']>, 'script_id' | 'user_id'>>();
    expectTypeOf<ServerWireJob>().toExtend<ClientWireJob>();
    expectTypeOf<Keys<ReturnType<typeof templateToWire>>>().toEqualTypeOf<Keys<WireTemplate>>();
    expectTypeOf<ReturnType<typeof templateToWire>>().toExtend<WireTemplate>();
  });

  it('reads a template the server sends as the core record, absent fields left out', () => {
    const template: JobTemplate = { id: 't-1', userId: 'u-1', name: 'Weekly', voiceProvider: 'espeak', platform: 'tiktok', language: 'en-US', createdAt: '2026-11-28T10:00:00.000Z', updatedAt: '2026-11-28T10:00:01.000Z' };
    expect(fromWire(JSON.parse(JSON.stringify(templateToWire(template))))).toEqual(template);
  });

  it('turns every field of a job the server sends into the core record, and nothing else', () => {
    const job: JobRecord = {
      id: 'job-1',
      userId: 'user-1',
      status: 'failure',
      progress: 0.42,
      stage: 'composing',
      message: 'Compositing video',
      attempts: 2,
      maxAttempts: 3,
      priority: 8,
      request: {
        script: 'Hello.\n\nWorld.', title: 'T', language: 'de-DE', platform: 'tiktok', voice: 'de', style: 'dark', targetDurationSeconds: 30, outputKey: 'videos/x.mp4', quality: 'standard',
        captions: {
          burnIn: true, wordHighlight: false, maxCharsPerLine: 30, maxLines: 2,
          style: { font: 'Noto Sans', size: 6, color: '#ffffff', highlightColor: '#ffcc00', outlineColor: '#000000', outline: 3, background: true, position: 'bottom' },
        },
        motion: { kenBurns: { direction: 'in', amount: 0.1 }, transition: 'crossfade', transitionSeconds: 0.4 },
        music: { source: 'music/bed.mp3', volumeDb: -14, duckDb: 10, fadeOutSeconds: 3 },
      },
      result: {
        key: 'videos/job-1.mp4',
        url: 'file:///storage/videos/job-1.mp4',
        durationSeconds: 12.5,
        sizeBytes: 123456,
        width: 1080,
        height: 1920,
        fps: 30,
        platform: 'tiktok',
        language: 'de-DE',
        scenes: [{ index: 0, text: 'Hello.', startSeconds: 0, durationSeconds: 6, audioSeconds: 5.5 }],
        timings: { analyzeMs: 1, narrateMs: 2, illustrateMs: 3, composeMs: 4, publishMs: 5 },
        quality: 'standard',
        captions: { srt: { key: 'videos/job-1.srt', url: 'file:///s/videos/job-1.srt' }, vtt: { key: 'videos/job-1.vtt', url: 'file:///s/videos/job-1.vtt' }, cues: 12 },
        thumbnail: { key: 'videos/job-1.jpg', url: 'file:///s/videos/job-1.jpg' },
        hls: { key: 'videos/job-1.hls/index.m3u8', url: 'file:///s/videos/job-1.hls/index.m3u8' },
        loudness: { integratedLufs: -16.1, truePeakDb: -1.4 },
        artifacts: ['videos/job-1.mp4', 'videos/job-1.jpg', 'videos/job-1.srt', 'videos/job-1.vtt', 'videos/job-1.hls/index.m3u8', 'videos/job-1.hls/segment-0.m4s'],
      },
      error: { code: 'RENDER', message: 'ffmpeg failed', retryable: true, issues: [{ field: 'script', message: 'too long' }] },
      idempotencyKey: 'idem',
      webhookUrl: 'https://example.com/hook',
      warnings: ['voice_provider "azure" is not configured here'],
      metadata: { script_id: 'abc-123', campaign: 'spring' },
      etaSeconds: 7,
      createdAt: '2026-11-28T10:00:00.000Z',
      updatedAt: '2026-11-28T10:00:05.000Z',
      startedAt: '2026-11-28T10:00:01.000Z',
      finishedAt: '2026-11-28T10:00:05.000Z',
      nextAttemptAt: '2026-11-28T10:01:00.000Z',
      attemptId: 'attempt-internal',
      runId: 'run-internal',
      workerId: 'worker-7',
      notifiedAt: '2026-11-28T10:00:06.000Z',
    };
    const files = (file: string) => `https://videos.example.com/api/v1/jobs/job-1/${file}`;
    const received: VideoJob = fromWire(JSON.parse(JSON.stringify(toWire(job, (_, file) => files(file)))));
    const { attemptId, runId, notifiedAt, idempotencyKey, webhookUrl, ...visible } = job;
    void [attemptId, runId, notifiedAt, idempotencyKey, webhookUrl];
    // Stored files are served by the API: the result names their routes, not their storage keys.
    const { timings, captions, thumbnail, hls, artifacts, ...result } = job.result!;
    void [timings, captions, thumbnail, hls, artifacts];
    const { outputKey, ...request } = job.request;
    void outputKey;
    expect(received).toEqual({
      ...visible,
      request,
      hlsUrl: files('hls/index.m3u8'),
      result: {
        ...result,
        url: files('video'),
        srtUrl: files('captions.srt'),
        vttUrl: files('captions.vtt'),
        captionCues: 12,
        thumbnailUrl: files('thumbnail.jpg'),
        hlsUrl: files('hls/index.m3u8'),
      },
      error: { code: 'RENDER', message: 'ffmpeg failed', retryable: true, issues: [{ field: 'video_request.script_content', message: 'too long' }] },
    });
  });

  it('gives a rendering job the live stream as hlsUrl, and none once the render stopped without a result', () => {
    const live = { playlistKey: 'videos/job-2.hls/index.m3u8', url: 'file:///s/videos/job-2.hls/index.m3u8' };
    const files = (file: string) => `https://videos.example.com/api/v1/jobs/job-2/${file}`;
    const rendering = { ...sampleJob({ id: 'job-2' }), status: 'processing' as const, live };
    expect(fromWire(JSON.parse(JSON.stringify(toWire(rendering, (_, file) => files(file)))))).toMatchObject({ hlsUrl: files('hls/index.m3u8') });
    // A stale `live` on a job no longer rendering is never sent (its segments are gone).
    const stopped: VideoJob = fromWire(JSON.parse(JSON.stringify(toWire({ ...rendering, status: 'retrying' }, (_, file) => files(file)))));
    expect(stopped.hlsUrl).toBeUndefined();
  });

  it('leaves absent what the server sends as null', () => {
    const job = sampleJob(); // only the fields every job has
    expect(fromWire(JSON.parse(JSON.stringify(toWire(job, () => 'unused'))))).toEqual({ ...job, warnings: [], metadata: {} });
  });

  it('sends every request field and submit option, and the server keeps each', async () => {
    const server = await startReferenceServer();
    try {
      const body = createBody(
        {
          script: 'One.\n\nTwo.', title: 'All fields', language: 'en-GB', platform: 'shorts', voice: 'en', style: 'dark', targetDurationSeconds: 20, quality: 'preview',
          captions: { burnIn: false, maxLines: 1, style: { highlightColor: '#00ff00', position: 'top' } },
          motion: { kenBurns: { direction: 'left', amount: 0.05 }, transition: 'slide', transitionSeconds: 0.3 },
          music: { source: 'music/bed.mp3', volumeDb: -20, duckDb: 6, fadeOutSeconds: 1 },
        },
        { userId: 'wire-user', priority: 9, idempotencyKey: `idem-${Date.now()}`, metadata: { script_id: 's-9', team: 'blue' }, voiceProvider: 'espeak' },
      );
      const answer = await fetch(`${server.api}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(answer.status).toBe(202);
      const job: VideoJob = fromWire(await answer.json());
      expect(job).toMatchObject({
        userId: 'wire-user',
        priority: 9,
        metadata: { script_id: 's-9', team: 'blue' },
        request: {
          script: 'One.\n\nTwo.', title: 'All fields', language: 'en-GB', platform: 'shorts', voice: 'en', style: 'dark', targetDurationSeconds: 20, quality: 'preview',
          captions: { burnIn: false, maxLines: 1, style: { highlightColor: '#00ff00', position: 'top' } },
          motion: { kenBurns: { direction: 'left', amount: 0.05 }, transition: 'slide', transitionSeconds: 0.3 },
          music: { source: 'music/bed.mp3', volumeDb: -20, duckDb: 6, fadeOutSeconds: 1 },
        },
        warnings: [],
      });
      await server.jobs.cancel(job.id).catch(() => undefined);
    } finally {
      await server.close();
    }
  });
});

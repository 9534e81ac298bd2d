import type { Pipeline, RenderRequest, RenderResult, RunOptions } from '../../src/index.js';
import { CancelledError, PIPELINE_DEFAULTS, ProviderError, ValidationError, createPipeline, toCancelled } from '../../src/index.js';
import type { ImageProvider, StorageProvider, TTSProvider } from '../../src/index.js';

/**
 * What the fake does for one run, chosen from the request's script. `files`: store what the real
 * pipeline stores, under the request's `outputKey` (a job's `<prefix><id>.mp4`): the video, a
 * thumbnail and a live HLS stream announced through `onLive`. `hold`: once the stream is live,
 * wait for this latch before going on.
 */
export type Behaviour = { ms?: number; fail?: 'transient' | 'fatal'; files?: boolean; hold?: Promise<void> } | undefined;

export interface RunRecord {
  script: string;
  startedAt: number;
  endedAt?: number;
  outcome?: 'success' | 'failed' | 'cancelled';
}

/**
 * A pipeline that renders nothing and records everything: when each run started and ended,
 * how many overlapped, and how it ended. `behaviour(script, attempt)` decides each run.
 */
export function createFakePipeline(behaviour: (script: string, attempt: number) => Behaviour = () => ({ ms: 5 }), storage?: StorageProvider) {
  const runs: RunRecord[] = [];
  const attemptsByScript = new Map<string, number>();
  let active = 0;
  let peak = 0;
  const real = createPipeline({ tts: {} as TTSProvider, images: {} as ImageProvider, storage: storage ?? ({} as StorageProvider) });

  async function run(request: RenderRequest, options: RunOptions = {}): Promise<RenderResult> {
    const attempt = (attemptsByScript.get(request.script) ?? 0) + 1;
    attemptsByScript.set(request.script, attempt);
    const plan = behaviour(request.script, attempt) ?? {};
    const record: RunRecord = { script: request.script, startedAt: performance.now() };
    runs.push(record);
    active += 1;
    peak = Math.max(peak, active);
    try {
      options.onProgress?.({ progress: 0.1, stage: 'analyzing', message: 'Analyzing script' });
      const key = plan.files && request.outputKey ? request.outputKey : `videos/${request.script.replace(/\W+/g, '-')}-${attempt}.mp4`;
      const base = key.replace(/\.mp4$/, '');
      const stored: string[] = [];
      const put = async (name: string) => {
        stored.push(name);
        if (storage) await storage.put(name, new TextEncoder().encode('not really a video'));
      };
      const live = { playlistKey: `${base}.hls/index.m3u8`, url: `file:///${base}.hls/index.m3u8` };
      if (plan.files) {
        await put(live.playlistKey);
        await put(`${base}.hls/segment-0.m4s`);
        options.onLive?.(live);
        if (plan.hold) await held(plan.hold, options.signal);
      }
      await sleep(plan.ms ?? 5, options.signal);
      options.onProgress?.({ progress: 0.9, stage: 'composing', message: 'Compositing video' });
      if (plan.fail === 'transient') throw new ProviderError('fake', 'upstream 503');
      if (plan.fail === 'fatal') throw new ValidationError([{ field: 'voice', message: 'unknown voice' }]);
      await put(key);
      if (plan.files) await put(`${base}.jpg`);
      record.outcome = 'success';
      return {
        key, url: `file:///${key}`, durationSeconds: 1, sizeBytes: 18, width: 1920, height: 1080, fps: 30,
        platform: 'youtube', language: 'en-US', quality: 'standard', scenes: [], artifacts: stored,
        timings: { analyzeMs: 0, narrateMs: 0, illustrateMs: 0, composeMs: 0, publishMs: 0 },
        ...(plan.files ? { hls: { key: live.playlistKey, url: live.url }, thumbnail: { key: `${base}.jpg`, url: `file:///${base}.jpg` } } : {}),
      };
    } catch (error) {
      record.outcome = CancelledError.is(error) ? 'cancelled' : 'failed';
      throw error;
    } finally {
      record.endedAt = performance.now();
      active -= 1;
    }
  }

  const pipeline: Pipeline = { ...real, run, tuning: PIPELINE_DEFAULTS };
  return { pipeline, runs, peak: () => peak, attempts: (script: string) => attemptsByScript.get(script) ?? 0 };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(toCancelled(signal.reason));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(toCancelled(signal.reason));
    }, { once: true });
  });
}

/** Waits for `latch`, or rejects as cancelled when `signal` fires first. */
function held(latch: Promise<void>, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(toCancelled(signal.reason));
    signal?.addEventListener('abort', () => reject(toCancelled(signal.reason)), { once: true });
    latch.then(resolve, reject);
  });
}

export { until } from '../../src/testing/wait.js';

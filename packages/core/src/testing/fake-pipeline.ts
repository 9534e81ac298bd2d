import { PIPELINE_DEFAULTS } from '../defaults.js';
import { CancelledError, ProviderError, ValidationError, toCancelled } from '../errors.js';
import { createPipeline, type Pipeline, type RenderResult, type RunOptions } from '../pipeline/create-pipeline.js';
import type { RenderRequest } from '../request.js';
import type { ImageProvider } from '../specs/image-provider.js';
import type { StorageProvider } from '../specs/storage-provider.js';
import type { TTSProvider } from '../specs/tts-provider.js';

/**
 * What the fake pipeline does for one run, chosen from the request's script and the attempt.
 *
 * - `hold`: once the run has started (and, with `files`, once its stream is live), wait for this
 *   latch before going on. The run stays cancellable: aborting its signal ends it as cancelled.
 *   Use it to keep a worker slot busy for exactly as long as a test needs.
 * - `ms`: how long the run takes after that, in milliseconds (default 5).
 * - `fail`: end with a retryable `ProviderError` (`transient`) or a final `ValidationError` (`fatal`).
 * - `files`: store what the real pipeline stores, under the request's `outputKey` (a job's
 *   `<prefix><id>.mp4`): the video, a thumbnail and a live HLS stream announced through `onLive`.
 *   Needs the `storage` given to {@link createFakePipeline}.
 */
export interface FakeRunPlan {
  ms?: number;
  fail?: 'transient' | 'fatal';
  files?: boolean;
  hold?: Promise<void>;
}

/** One run of the fake pipeline, as recorded: when it started and ended, and how it ended. */
export interface FakeRun {
  script: string;
  /** `performance.now()` when the run started. */
  startedAt: number;
  /** `performance.now()` when the run ended; undefined while it runs. */
  endedAt?: number;
  /** Undefined while it runs. */
  outcome?: 'success' | 'failed' | 'cancelled';
}

/** A pipeline that renders nothing, and what it recorded. See {@link createFakePipeline}. */
export interface FakePipeline {
  /** Give this to `createVideoJobs` or `createJobWorker` in place of a real pipeline. */
  pipeline: Pipeline;
  /** Every run, in the order they started. */
  runs: FakeRun[];
  /** The most runs that were in progress at once. */
  peak(): number;
  /** How many runs `script` has had. */
  attempts(script: string): number;
}

/**
 * A pipeline that renders nothing and records everything: when each run started and ended, how
 * many overlapped, and how it ended; for testing a job engine, a worker or a server mounting the
 * job API without ffmpeg or providers. `plan(script, attempt)` decides each run (by default: it
 * succeeds after 5 ms). Runs report progress (`analyzing` at 0.1, `composing` at 0.9) and honour
 * their signal. `storage` is where runs with `files` store, and the pipeline's storage provider.
 */
export function createFakePipeline(plan: (script: string, attempt: number) => FakeRunPlan | undefined = () => ({ ms: 5 }), storage?: StorageProvider): FakePipeline {
  const runs: FakeRun[] = [];
  const attemptsByScript = new Map<string, number>();
  let active = 0;
  let peak = 0;
  const real = createPipeline({ tts: {} as TTSProvider, images: {} as ImageProvider, storage: storage ?? ({} as StorageProvider) });

  async function run(request: RenderRequest, options: RunOptions = {}): Promise<RenderResult> {
    const attempt = (attemptsByScript.get(request.script) ?? 0) + 1;
    attemptsByScript.set(request.script, attempt);
    const planned = plan(request.script, attempt) ?? {};
    const record: FakeRun = { script: request.script, startedAt: performance.now() };
    runs.push(record);
    active += 1;
    peak = Math.max(peak, active);
    try {
      options.onProgress?.({ progress: 0.1, stage: 'analyzing', message: 'Analyzing script' });
      const key = planned.files && request.outputKey ? request.outputKey : `videos/${request.script.replace(/\W+/g, '-')}-${attempt}.mp4`;
      const base = key.replace(/\.mp4$/, '');
      const stored: string[] = [];
      const put = async (name: string) => {
        stored.push(name);
        if (storage) await storage.put(name, new TextEncoder().encode('not really a video'));
      };
      const live = { playlistKey: `${base}.hls/index.m3u8`, url: `file:///${base}.hls/index.m3u8` };
      if (planned.files) {
        await put(live.playlistKey);
        await put(`${base}.hls/segment-0.m4s`);
        options.onLive?.(live);
      }
      if (planned.hold) await held(planned.hold, options.signal);
      await pause(planned.ms ?? 5, options.signal);
      options.onProgress?.({ progress: 0.9, stage: 'composing', message: 'Compositing video' });
      if (planned.fail === 'transient') throw new ProviderError('fake', 'upstream 503');
      if (planned.fail === 'fatal') throw new ValidationError([{ field: 'voice', message: 'unknown voice' }]);
      await put(key);
      if (planned.files) await put(`${base}.jpg`);
      record.outcome = 'success';
      return {
        key, url: `file:///${key}`, durationSeconds: 1, sizeBytes: 18, width: 1920, height: 1080, fps: 30,
        platform: 'youtube', language: 'en-US', quality: 'standard', scenes: [], artifacts: stored,
        timings: { analyzeMs: 0, narrateMs: 0, illustrateMs: 0, composeMs: 0, publishMs: 0 },
        ...(planned.files ? { hls: { key: live.playlistKey, url: live.url }, thumbnail: { key: `${base}.jpg`, url: `file:///${base}.jpg` } } : {}),
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

/** The simulated work of a run: `ms` milliseconds, or a `CancelledError` when `signal` fires first. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
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

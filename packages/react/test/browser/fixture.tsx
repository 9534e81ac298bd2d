// A test page for the hooks and components, bundled by the browser tests and driven by them.
// Query: api=<base URL>, mode=hook|status|compat, jobId=…, strict=0 to turn StrictMode off.
import { StrictMode, useState, version } from 'react';
import { createRoot } from 'react-dom/client';
import { createVideoJobsClient } from '@scriptsensei/client';
import { VideoJobsProvider, VideoJobStatus, useJobStats, useVideoJob, useVideoJobs } from '@scriptsensei/react';
import { useAsyncJob } from '@scriptsensei/react/compat';

const params = new URLSearchParams(location.search);
type Probe = { log: unknown[]; streams: { opened: string[]; open: number }; polls: number };
const probe: Probe = { log: [], streams: { opened: [], open: 0 }, polls: 0 };
(window as unknown as { probe: Probe }).probe = probe;

/** The browser's own fetch, with SSE connections and polls counted for the test to read. */
const countingFetch: typeof fetch = (input, init) => {
  const url = String(input);
  if (url.endsWith('/events')) {
    probe.streams.opened.push(url);
    probe.streams.open += 1;
    init?.signal?.addEventListener('abort', () => (probe.streams.open -= 1), { once: true });
  } else if (/\/jobs\/[^/]+$/.test(url) && (init?.method ?? 'GET') === 'GET') probe.polls += 1;
  return fetch(input, init);
};
const client = createVideoJobsClient({ baseUrl: params.get('api')!, fetch: countingFetch, pollIntervalMs: 200 });
const script = params.get('script') ?? 'First scene of the test.\n\nSecond scene of the test.\n\nThird scene of the test.';

function HookProbe() {
  const job = useVideoJob({
    jobId: params.get('jobId') ?? undefined,
    onProgress: (j) => probe.log.push({ on: 'progress', status: j.status, progress: j.progress, stage: j.stage, key: `${j.updatedAt}|${j.status}|${j.progress}` }),
    onSuccess: (result) => probe.log.push({ on: 'success', url: result.url, duration: result.durationSeconds }),
    onError: (error) => probe.log.push({ on: 'error', code: error.code }),
    onCancel: () => probe.log.push({ on: 'cancel' }),
  });
  return (
    <main>
      <button type="button" onClick={() => void job.create({ script, title: 'Browser test' })}>
        Create
      </button>
      <p data-testid="state">{`${job.status ?? 'none'} ${Math.round(job.progress * 100)} ${job.isActive}`}</p>
      <p data-testid="job-id">{job.jobId ?? ''}</p>
      {job.error && <p data-testid="error">{job.error.code}</p>}
    </main>
  );
}

function CompatProbe() {
  // The original front end's code, unchanged.
  const { createVideoJob, jobId, status, progress, result, error } = useAsyncJob({
    onSuccess: (result) => probe.log.push({ on: 'success', video_path: result.video_path, video_url: result.video_url }),
    onError: (error) => probe.log.push({ on: 'error', error }),
    onProgress: (p, message) => probe.log.push({ on: 'progress', progress: p, message }),
  });
  return (
    <main>
      <button
        type="button"
        onClick={() =>
          void createVideoJob({
            video_request: { script_id: 'abc-123', user_id: 'user-456', title: 'My Video', script_content: script, language: 'en-US', platform: 'youtube', duration: 30, voice_provider: 'azure' },
            priority: 5,
          })
        }
      >
        Create
      </button>
      <p data-testid="state">{`${jobId} ${status} ${progress} ${result?.video_path ?? ''} ${error ?? ''}`}</p>
    </main>
  );
}

function HistoryProbe() {
  const history = useVideoJobs({ userId: params.get('userId') ?? undefined, pageSize: 10 });
  const stats = useJobStats();
  return (
    <main>
      <ul>
        {history.jobs.map((job) => (
          <li key={job.id} data-testid="row" data-status={job.status}>
            {job.request.title}
          </li>
        ))}
      </ul>
      <p data-testid="total">{history.total}</p>
      <p data-testid="stats">{stats.counts ? `${stats.counts.total} ${stats.summary?.windowHours}` : 'loading'}</p>
    </main>
  );
}

function App() {
  const [mounted, setMounted] = useState(true);
  const mode = params.get('mode') ?? 'hook';
  return (
    <VideoJobsProvider client={client}>
      <button type="button" onClick={() => setMounted((m) => !m)}>
        Toggle
      </button>
      {mounted && mode === 'hook' && <HookProbe />}
      {mounted && mode === 'compat' && <CompatProbe />}
      {mounted && mode === 'history' && <HistoryProbe />}
      {mounted && mode === 'status' && <VideoJobStatus jobId={params.get('jobId')!} onSuccess={() => probe.log.push({ on: 'success' })} />}
    </VideoJobsProvider>
  );
}

(window as unknown as { reactVersion: string }).reactVersion = version;
const app = <App />;
createRoot(document.getElementById('root')!).render(params.get('strict') === '0' ? app : <StrictMode>{app}</StrictMode>);

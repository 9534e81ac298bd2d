import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createVideoJobsClient } from '@scriptsensei/client';
import { VideoJobsProvider, VideoJobStatus, useJobStats, useVideoJob, useVideoJobs } from '@scriptsensei/react';
import { useAsyncJob } from '@scriptsensei/react/compat';

function Page() {
  const job = useVideoJob({ jobId: 'job-1' });
  const history = useVideoJobs({ page: 1 });
  const stats = useJobStats();
  const compat = useAsyncJob({ jobId: 'job-1' });
  return (
    <main>
      <p>{`${job.status ?? 'unknown'} ${history.jobs.length} ${stats.counts?.total ?? '-'} ${compat.status ?? 'none'}`}</p>
      <VideoJobStatus jobId="job-1" />
    </main>
  );
}

describe('server rendering (Next.js App Router client components)', () => {
  it('renders the loading state and makes no request', () => {
    const requests: string[] = [];
    const client = createVideoJobsClient({
      baseUrl: 'http://127.0.0.1:9/api/v1',
      fetch: async (input) => {
        requests.push(String(input));
        throw new Error('no network during server rendering');
      },
    });
    const html = renderToString(
      <VideoJobsProvider client={client}>
        <Page />
      </VideoJobsProvider>,
    );
    expect(html).toContain('unknown 0 - none');
    expect(html).toContain('data-status="loading"');
    expect(requests).toEqual([]);
  });

  it('says what is missing when a hook has no provider', () => {
    expect(() => renderToString(<VideoJobStatus jobId="x" />)).toThrow(/VideoJobsProvider/);
  });
});

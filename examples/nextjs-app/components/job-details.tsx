'use client';

import Link from 'next/link';
import { STATUS_LABELS, VideoJobStatus, formatFileSize, formatTimeLeft, useVideoJob } from '@scriptsensei/react';
import { dateTime } from '@/lib/options';

/** One job's page: its live status (or finished video) and details. Reloading resumes watching. */
export function JobDetails({ jobId }: { jobId: string }) {
  const { job, result } = useVideoJob({ jobId });
  return (
    <>
      <h1>{job?.request.title || 'Video'}</h1>
      <section className="card" aria-label="Status">
        <VideoJobStatus jobId={jobId} />
      </section>
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="details">
          <dt>Job ID</dt>
          <dd>
            <code>{jobId}</code>
          </dd>
          <dt>Status</dt>
          <dd>{job ? STATUS_LABELS[job.status] : '—'}</dd>
          <dt>Platform</dt>
          <dd>{job?.request.platform ?? '—'}</dd>
          <dt>Created</dt>
          <dd>{dateTime(job?.createdAt)}</dd>
          <dt>Finished</dt>
          <dd>{dateTime(job?.finishedAt)}</dd>
          {result && (
            <>
              <dt>Length</dt>
              <dd>{formatTimeLeft(result.durationSeconds)}</dd>
              <dt>Size</dt>
              <dd>{formatFileSize(result.sizeBytes)}</dd>
              <dt>Resolution</dt>
              <dd>
                {result.width} × {result.height}
              </dd>
              <dt>Scenes</dt>
              <dd>{result.scenes.length}</dd>
            </>
          )}
        </dl>
        {job && (
          <details>
            <summary>Script</summary>
            <pre className="script">{job.request.script}</pre>
          </details>
        )}
      </section>
      <p>
        <Link href="/dashboard/jobs">All jobs</Link> · <Link href="/dashboard/videos/new">New video</Link>
      </p>
    </>
  );
}

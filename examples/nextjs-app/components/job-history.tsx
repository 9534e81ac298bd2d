'use client';

import Link from 'next/link';
import { useId, useState, type FormEvent } from 'react';
import { STATUS_LABELS, formatPercent, isTerminal, type JobStatus, type VideoJob } from '@scriptsensei/client';
import { useVideoJobs, useVideoJobsClient } from '@scriptsensei/react';
import { STATUSES, dateTime } from '@/lib/options';
import { BulkCreate } from './bulk-create';
import { useToast } from './toast';

const PAGE_SIZE = 10;

interface Filters {
  status: JobStatus | '';
  /** `yyyy-mm-dd` from the date inputs (local days). */
  after: string;
  before: string;
}

const NO_FILTERS: Filters = { status: '', after: '', before: '' };

/** Start of a local day, or the start of the next one (so "before" includes the day itself). */
const dayStart = (day: string, next = false) => {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + (next ? 1 : 0)).toISOString();
};

/** Bulk create, then the job history: filters, pages, live status of active jobs, cancel and retry per row. */
export function JobsDashboard() {
  const id = useId();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const history = useVideoJobs({
    status: filters.status || undefined,
    createdAfter: dayStart(filters.after),
    createdBefore: dayStart(filters.before, true),
    page,
    pageSize: PAGE_SIZE,
    order: 'newest',
  });
  const pages = Math.max(1, Math.ceil(history.total / PAGE_SIZE));

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
    setPage(1);
  }

  return (
    <>
      <BulkCreate onCreated={() => void history.refresh()} />
      <section className="card" aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>History</h2>
        <form className="inline-form" onSubmit={apply} aria-label="Filter jobs">
          <div className="field">
            <label htmlFor={`${id}-status`}>Status</label>
            <select id={`${id}-status`} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value as Filters['status'] })}>
              <option value="">All</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-after`}>Created on or after</label>
            <input id={`${id}-after`} type="date" value={draft.after} onChange={(e) => setDraft({ ...draft, after: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-before`}>Created on or before</label>
            <input id={`${id}-before`} type="date" value={draft.before} onChange={(e) => setDraft({ ...draft, before: e.target.value })} />
          </div>
          <button type="submit" className="button">
            Apply filters
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
              setPage(1);
            }}
          >
            Clear
          </button>
          <button type="button" className="button" onClick={() => void history.refresh()}>
            Refresh
          </button>
        </form>

        {history.error && (
          <p role="alert" className="error-text">
            Could not load the jobs: {history.error.message}
          </p>
        )}

        <div className="table-wrap">
          <table className="jobs" aria-busy={history.isLoading}>
            <caption className="visually-hidden">Video jobs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Video</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {history.jobs.map((job) => (
                <JobRow key={job.id} job={job} />
              ))}
              {!history.jobs.length && !history.isLoading && (
                <tr>
                  <td colSpan={5} className="muted">
                    No jobs match.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>

        <nav className="pagination" aria-label="Pages">
          <button type="button" className="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span aria-live="polite">
            Page {Math.min(page, pages)} of {pages} · {history.total} {history.total === 1 ? 'job' : 'jobs'}
          </span>
          <button type="button" className="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </nav>
      </section>
    </>
  );
}

function JobRow({ job }: { job: VideoJob }) {
  const client = useVideoJobsClient();
  const toast = useToast();
  const [acting, setActing] = useState(false);
  const active = !isTerminal(job.status);
  const name = job.request.title || job.request.script.slice(0, 40);
  const percent = Math.round(job.progress * 100);

  async function act(action: 'cancel' | 'retry') {
    setActing(true);
    try {
      await client[action](job.id);
    } catch (e) {
      toast({ kind: 'error', title: action === 'cancel' ? 'Could not cancel' : 'Could not retry', description: (e as Error).message });
    } finally {
      setActing(false);
    }
  }

  return (
    <tr data-job-id={job.id} data-status={job.status}>
      <td>
        <Link href={`/dashboard/videos/${encodeURIComponent(job.id)}`}>{name}</Link>
      </td>
      <td>
        <span className={`badge badge--${job.status}`}>{STATUS_LABELS[job.status]}</span>
      </td>
      <td>
        {active ? (
          <div className="row-progress">
            <div role="progressbar" aria-label={`Progress of ${name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} className="mini-bar">
              <div className="mini-bar__fill" style={{ width: `${percent}%` }} />
            </div>
            <span>
              {formatPercent(job.progress)} · {job.message}
            </span>
          </div>
        ) : job.status === 'failure' ? (
          <span className="error-text">{job.error?.message ?? job.message}</span>
        ) : (
          <span>{job.message}</span>
        )}
      </td>
      <td>{dateTime(job.createdAt)}</td>
      <td>
        {active && (
          <button type="button" className="button button--small" disabled={acting} onClick={() => void act('cancel')} aria-label={`Cancel ${name}`}>
            Cancel
          </button>
        )}
        {(job.status === 'failure' || job.status === 'cancelled') && (
          <button type="button" className="button button--small" disabled={acting} onClick={() => void act('retry')} aria-label={`Retry ${name}`}>
            Retry
          </button>
        )}
      </td>
    </tr>
  );
}

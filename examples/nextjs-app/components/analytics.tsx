'use client';

import { useId, useState } from 'react';
import { STATUS_LABELS, formatTimeLeft } from '@scriptsensei/client';
import { useJobStats } from '@scriptsensei/react';
import { STATUSES } from '@/lib/options';
import { BarChart } from './bar-chart';

const STATUS_COLORS: Record<(typeof STATUSES)[number], string> = {
  pending: '#64748b',
  processing: '#2563eb',
  retrying: '#b45309',
  success: '#15803d',
  failure: '#b91c1c',
  cancelled: '#6b21a8',
};

const WINDOWS = [
  { hours: 1, label: 'Last hour' },
  { hours: 24, label: 'Last 24 hours' },
  { hours: 24 * 7, label: 'Last 7 days' },
  { hours: 24 * 30, label: 'Last 30 days' },
];

const seconds = (s: number | null | undefined) => (s == null ? '—' : s < 1 ? `${s.toFixed(2)} s` : formatTimeLeft(s));

/** Job counts by status, success rate and render times, refreshed every few seconds. */
export function Analytics() {
  const id = useId();
  const [windowHours, setWindowHours] = useState(24);
  const { counts, summary, isLoading, error, refresh } = useJobStats({ windowHours, refreshIntervalMs: 5000 });
  const rate = summary?.successRate;

  return (
    <>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-window`}>Summary window</label>
          <select id={`${id}-window`} value={windowHours} onChange={(e) => setWindowHours(Number(e.target.value))}>
            {WINDOWS.map((w) => (
              <option key={w.hours} value={w.hours}>
                {w.label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text">
          Could not load the statistics: {error.message}
        </p>
      )}

      <section className="card" aria-labelledby={`${id}-summary`} aria-busy={isLoading && !summary}>
        <h2 id={`${id}-summary`}>Summary</h2>
        <dl className="stats">
          <div>
            <dt>Jobs in window</dt>
            <dd data-stat="total">{summary?.total ?? '—'}</dd>
          </div>
          <div>
            <dt>Success rate</dt>
            <dd data-stat="success-rate">{rate == null ? '—' : `${Math.round(rate * 1000) / 10}%`}</dd>
          </div>
          <div>
            <dt>Render time p50</dt>
            <dd data-stat="p50">{seconds(summary?.renderSeconds.p50)}</dd>
          </div>
          <div>
            <dt>Render time p95</dt>
            <dd data-stat="p95">{seconds(summary?.renderSeconds.p95)}</dd>
          </div>
          <div>
            <dt>Active now</dt>
            <dd data-stat="active">{summary?.active ?? '—'}</dd>
          </div>
        </dl>
      </section>

      <section className="card" aria-labelledby={`${id}-counts`}>
        <h2 id={`${id}-counts`}>Jobs by status</h2>
        {counts ? (
          <BarChart
            id={`${id}-status-chart`.replace(/:/g, '')}
            title={`Jobs by status (${counts.total} in all)`}
            bars={STATUSES.map((s) => ({ label: STATUS_LABELS[s], value: counts[s], color: STATUS_COLORS[s] }))}
          />
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>

      <section className="card" aria-labelledby={`${id}-times`}>
        <h2 id={`${id}-times`}>Render time</h2>
        {summary ? (
          <>
            <BarChart
              id={`${id}-time-chart`.replace(/:/g, '')}
              title="Render time of successful jobs, in seconds"
              bars={[
                { label: 'Median (p50)', value: summary.renderSeconds.p50 ?? 0, text: seconds(summary.renderSeconds.p50), color: '#2563eb' },
                { label: '95th pct. (p95)', value: summary.renderSeconds.p95 ?? 0, text: seconds(summary.renderSeconds.p95), color: '#1e3a8a' },
              ]}
            />
            <p className="hint">From {summary.renderSeconds.count} successful {summary.renderSeconds.count === 1 ? 'job' : 'jobs'} in the window.</p>
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    </>
  );
}

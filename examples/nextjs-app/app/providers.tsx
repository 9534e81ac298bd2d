'use client';

import { useState, type ReactNode } from 'react';
import { createVideoJobsClient } from '@scriptsensei/client';
import { VideoJobsProvider } from '@scriptsensei/react';
import type { PublicConfig } from '@/lib/config';
import { ToastProvider } from '@/components/toast';

/** The job API's base URL: the service origin plus `/api/v1`, unless the setting already names it. */
function apiBaseUrl(serviceUrl: string): string {
  const trimmed = serviceUrl.replace(/\/+$/, '');
  return /\/api\/v\d+$/.test(trimmed) ? trimmed : `${trimmed}/api/v1`;
}

/** One client for the whole app (one event stream per job, shared by every component). */
export function Providers({ config, children }: { config: PublicConfig; children: ReactNode }) {
  const [client] = useState(() => createVideoJobsClient({ baseUrl: apiBaseUrl(config.serviceUrl), pollIntervalMs: config.pollIntervalMs }));
  return (
    <VideoJobsProvider client={client}>
      <ToastProvider>{children}</ToastProvider>
    </VideoJobsProvider>
  );
}

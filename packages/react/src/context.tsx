import { createContext, useContext, type ReactNode } from 'react';
import type { VideoJobsClient } from '@scriptsensei/client';

const ClientContext = createContext<VideoJobsClient | null>(null);

/** Makes a client (from `createVideoJobsClient`) available to the hooks and components below. */
export function VideoJobsProvider({ client, children }: { client: VideoJobsClient; children?: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/** The client given to the nearest `VideoJobsProvider`. */
export function useVideoJobsClient(): VideoJobsClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('No <VideoJobsProvider> above this component');
  return client;
}

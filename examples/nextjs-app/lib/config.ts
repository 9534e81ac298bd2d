// Server-only: the root layout reads these per request and hands them to the client providers.

/** Settings the browser needs, read on the server at request time. */
export interface PublicConfig {
  /** Origin of the video service, e.g. `http://localhost:8012`. */
  serviceUrl: string;
  /** How often a job is polled when its event stream is unavailable. */
  pollIntervalMs: number;
}

// Looked up by a computed name: Next.js inlines `process.env.NEXT_PUBLIC_…` written out literally
// at build time, which would tie a build to one server.
const env = (name: string): string | undefined => process.env[name] || undefined;

export function readPublicConfig(): PublicConfig {
  const poll = Number(env('NEXT_PUBLIC_JOB_POLL_INTERVAL'));
  return {
    serviceUrl: env('NEXT_PUBLIC_VIDEO_SERVICE_URL') ?? 'http://localhost:8012',
    pollIntervalMs: Number.isFinite(poll) && poll > 0 ? poll : 3000,
  };
}

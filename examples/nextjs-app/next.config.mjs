/** @type {import('next').NextConfig} */
const nextConfig = {
  // The service URL is read per request by the root layout (see app/layout.tsx), not inlined at
  // build time, so one production build runs against any job API.
  reactStrictMode: true,
  poweredByHeader: false,
  // The app lives in a pnpm workspace: trace files from the repository root.
  outputFileTracingRoot: new URL('../..', import.meta.url).pathname,
  turbopack: { root: new URL('../..', import.meta.url).pathname },
};

export default nextConfig;

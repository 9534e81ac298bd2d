// What both example servers do around their framework: report the URL, close cleanly.
import { fileURLToPath } from 'node:url';

/**
 * Wraps a listening Node server and its job engine: `close()` stops accepting connections,
 * drops idle keep-alive ones, then lets running renders finish (up to 10 s) and re-queues the rest.
 */
export function running(server, jobs) {
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    jobs,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await jobs.close({ timeoutMs: 10_000 });
    },
  };
}

/** Starts `start` when `moduleUrl` is the program being run, and closes it on SIGINT/SIGTERM. */
export async function runIfMain(moduleUrl, start, port) {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  const server = await start({ port });
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void server.close().then(() => process.exit(0)));
  return server;
}

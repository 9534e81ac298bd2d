// What both example servers do around their framework: report the URL, close cleanly.
import { fileURLToPath } from 'node:url';

/**
 * Wraps a listening Node server and its job engine: `close()` stops accepting connections,
 * drops idle keep-alive ones, then lets running renders finish (up to `timeoutMs`) and hands the
 * rest back (pending again, resumed at the next start or by another worker).
 */
export function running(server, jobs, timeoutMs = 10_000, resources = []) {
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    jobs,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await jobs.close({ timeoutMs });
      // The server's other stores (e.g. templates) after the renders that may still use them.
      await Promise.all(resources.map((r) => r?.close?.()));
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

// Open-loop load at a fixed rate over one keep-alive connection: each request has a scheduled
// send time, and its latency counts from that time, so a slow answer that delays the next request
// is charged to it too (no coordinated omission), unlike a closed-loop tool that waits before sending.
import http from 'node:http';

/**
 * Sends `method` `url` (with `body`, JSON) `rate` times a second for `seconds`; resolves with
 * latency quantiles in ms. A status other than `okStatus` counts as an error.
 */
export async function openLoop(url, { rate = 100, seconds = 10, method = 'GET', body, okStatus = 200 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies = [];
  let errors = 0;
  const start = performance.now();
  const total = Math.round(rate * seconds);
  const pending = [];
  for (let i = 0; i < total; i++) {
    const scheduled = start + (i * 1000) / rate;
    const delay = scheduled - performance.now();
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    pending.push(
      new Promise((resolve) => {
        const request = http.request(url, { agent, method, headers: body ? { 'content-type': 'application/json' } : {} }, (response) => {
          response.resume();
          response.on('end', () => {
            if (response.statusCode !== okStatus) errors += 1;
            latencies.push(performance.now() - scheduled);
            resolve();
          });
        });
        request.on('error', () => {
          errors += 1;
          resolve();
        });
        request.end(body === undefined ? undefined : JSON.stringify(body));
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { sent: total, errors, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN };
}

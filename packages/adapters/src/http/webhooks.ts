import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { Webhook } from 'standardwebhooks';
import type { JobRecord, VideoJobs } from '@scriptsensei/core';
import type { WireJob } from './wire-format.js';

export interface WebhookOptions {
  /** Signing secret, `whsec_` + base64 (Standard Webhooks). Required to send webhooks. */
  secret: string;
  /**
   * Delivery attempts per event.
   * @defaultValue 5
   */
  attempts?: number;
  /**
   * Delay before the first retry; doubles each time.
   * @defaultValue 1000
   */
  baseDelayMs?: number;
  /**
   * Per-request timeout.
   * @defaultValue 10000
   */
  timeoutMs?: number;
  /**
   * Deliver to loopback, private, link-local and other non-public addresses. Off by default, so
   * a `webhook_url` cannot be used to reach the server's own network (SSRF); turn it on for
   * receivers inside your network.
   * @defaultValue false
   */
  allowPrivateNetworks?: boolean;
  /** Injected fetch, for tests. */
  fetch?: typeof fetch;
  /** Told about every failed delivery attempt. */
  onError?: (error: unknown, event: { id: string; url: string; attempt: number }) => void;
}

/**
 * Sends `job.succeeded` / `job.failed` events to a job's `webhookUrl`, signed per the Standard
 * Webhooks scheme (headers `webhook-id`, `webhook-timestamp`, `webhook-signature`), retried with
 * exponential backoff on network errors and non-2xx answers. With several API processes, the one
 * that claims the job's notification in the store delivers it, so each event is sent once.
 * Returns a function that stops it.
 */
export function deliverWebhooks(jobs: VideoJobs, toWire: (job: JobRecord) => WireJob, options: WebhookOptions): () => void {
  const signer = new Webhook(options.secret);
  const attempts = options.attempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const send = options.fetch ?? fetch;
  const timers = new Set<NodeJS.Timeout>();

  const deliver = (type: 'job.succeeded' | 'job.failed') => async (job: JobRecord) => {
    if (!job.webhookUrl) return;
    // Every API process hears the event; the one that claims it delivers.
    if (!(await jobs.claimNotification(job).catch(() => false))) return;
    const url = job.webhookUrl;
    const id = `msg_${randomUUID()}`;
    const timestamp = new Date();
    const payload = JSON.stringify({ type, timestamp: timestamp.toISOString(), data: toWire(job) });
    const signature = signer.sign(id, timestamp, payload);
    const attempt = async (n: number) => {
      try {
        if (!options.allowPrivateNetworks) await assertPublicHost(url);
        const response = await send(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
            'webhook-signature': signature,
          },
          body: payload,
          // A redirect could lead to an address the check above would refuse.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!response.ok) throw new Error(`webhook endpoint answered ${response.status}`);
      } catch (error) {
        options.onError?.(error, { id, url, attempt: n });
        if (n >= attempts) return;
        const timer = setTimeout(() => {
          timers.delete(timer);
          void attempt(n + 1);
        }, baseDelayMs * 2 ** (n - 1));
        timer.unref();
        timers.add(timer);
      }
    };
    void attempt(1);
  };

  const onSucceeded = deliver('job.succeeded');
  const onFailed = deliver('job.failed');
  jobs.on('succeeded', onSucceeded);
  jobs.on('failed', onFailed);
  return () => {
    jobs.off('succeeded', onSucceeded);
    jobs.off('failed', onFailed);
    for (const timer of timers) clearTimeout(timer);
  };
}

/** Throws unless every address `url`'s host resolves to is a public unicast address. */
async function assertPublicHost(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  for (const address of addresses) {
    const parsed = ipaddr.process(address);
    if (parsed.range() !== 'unicast') throw new Error(`webhook host ${host} resolves to ${address} (${parsed.range()}), which is not a public address`);
  }
}

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVideoJobs, type VideoJobs } from '@scriptsensei/core';
import { createJobsApi } from '@scriptsensei/adapters/http';
import { createFakePipeline, until } from '@scriptsensei/core/testing';

const SECRET = `whsec_${Buffer.from('a webhook signing secret for tests').toString('base64')}`;

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

describe('webhooks', () => {
  const deliveries: Delivery[] = [];
  let failNext = 1;
  const receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body });
      // The first delivery fails, so the retry is exercised too.
      res.statusCode = failNext-- > 0 ? 500 : 204;
      res.end();
    });
  });
  let url: string;
  let jobs: VideoJobs;
  let api: ReturnType<typeof createJobsApi>;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const fake = createFakePipeline((script) => (script.startsWith('bad') ? { fail: 'fatal' } : { ms: 5 }));
    jobs = await createVideoJobs({ pipeline: fake.pipeline });
    // The receiver is on loopback, which deliveries refuse unless told otherwise.
    api = createJobsApi(jobs, { webhooks: { secret: SECRET, baseDelayMs: 20, attempts: 3, allowPrivateNetworks: true }, rateLimit: false, publicBaseUrl: 'https://videos.example.test' });
  });
  afterAll(async () => {
    api.close();
    await jobs.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  const create = (script: string) =>
    api.fetch(
      new Request('http://api.test/jobs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ video_request: { script_content: script }, webhook_url: url }),
      }),
    );

  it('posts a signed job.succeeded event, retrying after a failed delivery', async () => {
    // A second API over the same engine, as a second API process would be: the event is still delivered once.
    const twin = createJobsApi(jobs, { webhooks: { secret: SECRET, baseDelayMs: 20, attempts: 3, allowPrivateNetworks: true }, rateLimit: false });
    const created = (await (await create('Hello hooks.')).json()) as { job_id: string };
    await until(() => deliveries.length >= 2);
    twin.close();
    const [first, second] = deliveries;
    expect(new Set(deliveries.map((d) => d.headers['webhook-id']))).toEqual(new Set([first!.headers['webhook-id']]));
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    const event = new Webhook(SECRET).verify(second!.body, {
      'webhook-id': String(second!.headers['webhook-id']),
      'webhook-timestamp': String(second!.headers['webhook-timestamp']),
      'webhook-signature': String(second!.headers['webhook-signature']),
    }) as { type: string; data: { job_id: string; status: string } };
    expect(event.type).toBe('job.succeeded');
    expect(event.data).toMatchObject({ job_id: created.job_id, status: 'success' });
    expect((event.data as unknown as { result: { video_url: string } }).result.video_url).toBe(`https://videos.example.test/api/v1/jobs/${created.job_id}/video`);
  });

  it('by default refuses to deliver to loopback or private addresses', async () => {
    const errors: string[] = [];
    // Its own engine: the API above delivers every event of the engine it is attached to.
    const engine = await createVideoJobs({ pipeline: createFakePipeline(() => ({ ms: 1 })).pipeline });
    const guarded = createJobsApi(engine, { webhooks: { secret: SECRET, attempts: 1, onError: (e) => errors.push(String(e)) }, rateLimit: false });
    const before = deliveries.length;
    try {
      for (const target of [url, 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/x', 'http://10.0.0.1/x']) {
        await guarded.fetch(
          new Request('http://api.test/jobs', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ video_request: { script_content: 'private' }, webhook_url: target }),
          }),
        );
      }
      await until(() => errors.length >= 4);
      expect(errors.every((e) => /not a public address/.test(e))).toBe(true);
      expect(deliveries.length).toBe(before);
    } finally {
      guarded.close();
      await engine.close();
    }
  });

  it('posts job.failed for a failed job, and a tampered body does not verify', async () => {
    deliveries.length = 0;
    await create('bad script');
    await until(() => deliveries.length >= 1);
    const delivery = deliveries[0]!;
    const headers = {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    };
    expect((new Webhook(SECRET).verify(delivery.body, headers) as { type: string }).type).toBe('job.failed');
    expect(() => new Webhook(SECRET).verify(delivery.body.replace('failure', 'success'), headers)).toThrow();
  });

  it('refuses a webhook_url that is not http(s)', async () => {
    const response = await api.fetch(
      new Request('http://api.test/jobs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ video_request: { script_content: 'x' }, webhook_url: 'file:///etc/passwd' }),
      }),
    );
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: { fields: { field: string }[] } }).error.fields[0]!.field).toBe('webhook_url');
  });
});

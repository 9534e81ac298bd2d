import { afterAll, describe, expect, it } from 'vitest';
import { createVideoJobs } from '@scriptsensei/core';
import { createJobsApi } from '@scriptsensei/adapters/http';
import { createFakePipeline, until } from '@scriptsensei/core/testing';

/**
 * Behind a TLS-terminating proxy the server sees `http://api:8012`: the links it hands out must
 * still be the public ones, or browsers get mixed content and dead hosts.
 */
describe('publicBaseUrl', () => {
  const fake = createFakePipeline();
  const jobsReady = createVideoJobs({ pipeline: fake.pipeline });
  afterAll(async () => (await jobsReady).close());

  it('makes the file URLs in answers public, whatever origin the request came to', async () => {
    const jobs = await jobsReady;
    const api = createJobsApi(jobs, { rateLimit: false, publicBaseUrl: 'https://videos.example.test/' });
    const created = await api.fetch(new Request('http://api:8012/jobs/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ video_request: { script_content: 'Behind a proxy.' } }) }));
    const { job_id } = (await created.json()) as { job_id: string };
    await until(async () => (await jobs.get(job_id)).status === 'success');
    const job = (await (await api.fetch(new Request(`http://api:8012/jobs/${job_id}`))).json()) as { result: { video_url: string } };
    expect(job.result.video_url).toBe(`https://videos.example.test/api/v1/jobs/${job_id}/video`);
    const document = (await (await api.fetch(new Request('http://api:8012/openapi.json'))).json()) as { servers: { url: string }[] };
    expect(document.servers[0]!.url).toBe('https://videos.example.test/api/v1');
  });

  it('leaves them on the request origin when unset', async () => {
    const jobs = await jobsReady;
    const api = createJobsApi(jobs, { rateLimit: false });
    const created = await api.fetch(new Request('http://localhost:8012/jobs/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ video_request: { script_content: 'Direct.' } }) }));
    const { job_id } = (await created.json()) as { job_id: string };
    await until(async () => (await jobs.get(job_id)).status === 'success');
    const job = (await (await api.fetch(new Request(`http://localhost:8012/jobs/${job_id}`))).json()) as { result: { video_url: string } };
    expect(job.result.video_url).toBe(`http://localhost:8012/api/v1/jobs/${job_id}/video`);
  });
});

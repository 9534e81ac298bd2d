import { CLIENT_DEFAULTS, type ClientSettings } from './defaults.js';
import { errorFromResponse, VideoJobsError } from './errors.js';
import { createJobWatches, type JobErrorListener, type JobListener } from './job-watches.js';
import type {
  FieldIssue,
  JobTemplate,
  JobTemplateInput,
  RenderRequest,
  VideoJob,
  VideoJobBatchItem,
  VideoJobCounts,
  VideoJobListQuery,
  VideoJobPage,
  VideoJobSubmitOptions,
  VideoJobSummary,
} from './types.js';
import { createBody, fromWire, snake, templateBody } from './wire.js';

export interface VideoJobsClientOptions extends Partial<ClientSettings> {
  /** Where the job API is mounted, e.g. `https://videos.example.com/api/v1`. */
  baseUrl: string;
  /** Bearer token, or a function returning a fresh one before each request (short-lived tokens). */
  token?: string | (() => string | undefined | Promise<string | undefined>);
  /** @defaultValue `globalThis.fetch`, looked up at each call so polyfills and test spies apply */
  fetch?: typeof fetch;
  /**
   * Owner sent as `user_id` when the server has auth off (with auth on, the token decides).
   * Used for submit, list and templates unless a call names another.
   */
  userId?: string;
}

export interface VideoJobsBatchResult {
  created: number;
  failed: number;
  /** One entry per item, in order: the job (status 202), or why it was refused (the HTTP status an item alone would get). */
  results: { index: number; status: number; job?: VideoJob; error?: { code: string; message: string; issues?: FieldIssue[]; retryable?: boolean } }[];
}

export interface VideoJobsClient {
  readonly baseUrl: string;
  submit(request: RenderRequest, options?: VideoJobSubmitOptions): Promise<VideoJob>;
  /** Up to 100 jobs in one request; each item is accepted or refused on its own. */
  submitBatch(items: VideoJobBatchItem[]): Promise<VideoJobsBatchResult>;
  get(jobId: string): Promise<VideoJob>;
  cancel(jobId: string): Promise<VideoJob>;
  retry(jobId: string): Promise<VideoJob>;
  list(query?: VideoJobListQuery): Promise<VideoJobPage>;
  counts(): Promise<VideoJobCounts>;
  summary(options?: { windowHours?: number }): Promise<VideoJobSummary>;
  /**
   * Calls `listener` with the job's current state (at once when known) and every change until it
   * finishes. Subscribers of one job share one connection, closed when the job finishes or the
   * last subscriber leaves. `onError` hears why following the job stopped (e.g. `NOT_FOUND`,
   * `UNAUTHORIZED`); passing network trouble is retried quietly. Returns the unsubscribe function.
   */
  subscribe(jobId: string, listener: JobListener, onError?: JobErrorListener): () => void;
  /** The newest state the client holds for a job, without a request. */
  peek(jobId: string): VideoJob | undefined;
  templates: {
    list(): Promise<JobTemplate[]>;
    create(template: JobTemplateInput): Promise<JobTemplate>;
    update(templateId: string, template: JobTemplateInput): Promise<JobTemplate>;
    remove(templateId: string): Promise<void>;
  };
}

/** A client for the job API: `fetch` only, so it runs in browsers, Node 20+, Deno and Bun. */
export function createVideoJobsClient(options: VideoJobsClientOptions): VideoJobsClient {
  const { baseUrl: rawBase, token, userId, fetch: ownFetch, pollIntervalMs = CLIENT_DEFAULTS.pollIntervalMs, maxStreams = CLIENT_DEFAULTS.maxStreams } = options;
  if (!/^https?:\/\//.test(rawBase)) throw new TypeError(`baseUrl: not an absolute http(s) URL: ${rawBase}`);
  const baseUrl = rawBase.replace(/\/+$/, '');
  const fetchImpl: typeof fetch = ownFetch ?? ((input, init) => globalThis.fetch(input, init));
  const url = (path: string) => baseUrl + path;
  const job = (id: string) => `/jobs/${encodeURIComponent(id)}`;
  const template = (id: string) => `/templates/${encodeURIComponent(id)}`;

  async function headers(): Promise<Record<string, string>> {
    const bearer = typeof token === 'function' ? await token() : token;
    return bearer ? { authorization: `Bearer ${bearer}` } : {};
  }

  /** One API call; the answer in camelCase (see `fromWire`), or a `VideoJobsError`. Bodies are always objects. */
  async function call(method: string, path: string, body?: object) {
    const h = await headers();
    h.accept = 'application/json';
    if (body) h['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetchImpl(url(path), { method, headers: h, body: body && JSON.stringify(body) });
    } catch (error) {
      throw new VideoJobsError(`Could not reach ${baseUrl}: ${(error as Error)?.message ?? error}`, 0, 'NETWORK', [], true);
    }
    const data: unknown = response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (!response.ok) throw errorFromResponse(response, data);
    return fromWire(data);
  }

  /** A query string of the defined parameters. */
  const query = (params: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
    return search && `?${search}`;
  };

  const watches = createJobWatches({ fetch: fetchImpl, url, headers, get: (id) => call('GET', job(id)) }, { pollIntervalMs, maxStreams });
  const { remember } = watches;

  return {
    baseUrl,
    submit: async (request, o) => remember(await call('POST', '/jobs', createBody(request, { userId, ...o }))),
    async submitBatch(items) {
      const answer = await call('POST', '/jobs/batch', { jobs: items.map((item) => createBody(item.request, { userId, ...item.options })) });
      for (const r of answer.results) if (r.job) r.job = remember(r.job);
      return answer;
    },
    get: async (id) => remember(await call('GET', job(id))),
    cancel: async (id) => remember(await call('DELETE', job(id))),
    retry: async (id) => remember(await call('POST', `${job(id)}/retry`)),
    async list(q = {}) {
      const page = await call(
        'GET',
        `/jobs${query(snake({ ...q, userId: q.userId ?? userId, order: undefined, sort: q.order }))}`,
      );
      page.jobs = page.jobs.map(remember);
      return page;
    },
    counts: () => call('GET', '/jobs/stats/counts'),
    summary: (o = {}) => call('GET', `/jobs/stats/summary${query({ window_hours: o.windowHours })}`),
    subscribe: watches.subscribe,
    peek: watches.peek,
    templates: {
      list: async () => (await call('GET', `/templates${query({ user_id: userId })}`)).templates,
      create: (t) => call('POST', '/templates', templateBody(t, userId)),
      update: (id, t) => call('PUT', template(id), templateBody(t, userId)),
      remove: async (id) => void (await call('DELETE', template(id) + query({ user_id: userId }))),
    },
  };
}

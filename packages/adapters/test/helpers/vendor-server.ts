import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pcmWav } from '@scriptsensei/adapters/vendor';

/** One request the local vendor server received. */
export interface RecordedRequest {
  method: string;
  /** Path without the query. */
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** An answer: status, headers and body; `'hang'` never answers (for timeouts and cancels). */
export type Reply = { status?: number; headers?: Record<string, string>; body?: string | Buffer | object } | 'hang';

export interface VendorServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests received since the last `reset()`. */
  reset(): void;
  /** Answers the next requests with these replies, in order, before the handler answers again. */
  failNext(...replies: Reply[]): void;
  /** Resolves when the next request arrives (a latch for tests). */
  nextRequest(): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/**
 * A local HTTP server standing in for a cloud vendor: it records each request (method, path,
 * headers, body) for the test to check against the vendor's documented protocol, and answers
 * with `handler`, or with scripted failures queued by `failNext`.
 */
export async function startVendorServer(handler: (request: RecordedRequest) => Reply | Promise<Reply>): Promise<VendorServer> {
  const requests: RecordedRequest[] = [];
  const scripted: Reply[] = [];
  const waiting: ((request: RecordedRequest) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, url, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(recorded);
      for (const resolve of waiting.splice(0)) resolve(recorded);
      const reply = scripted.length ? Promise.resolve(scripted.shift()!) : Promise.resolve().then(() => handler(recorded));
      reply.then(
        (r) => send(res, r),
        (error: unknown) => send(res, { status: 500, body: { error: { message: `test server: ${String(error)}` } } }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reset: () => void requests.splice(0),
    failNext: (...replies) => void scripted.push(...replies),
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply === 'hang') return;
  const { status = 200, headers = {}, body = '' } = reply;
  const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const type = typeof body === 'string' || Buffer.isBuffer(body) ? undefined : 'application/json';
  res.writeHead(status, { ...(type ? { 'content-type': type } : {}), ...headers });
  res.end(bytes);
}

/**
 * Makes `server`'s next request hang (never answered) and resolves once it arrives: for the TTS
 * contract's `stallNextSynthesis`, so its cancellation lands on a synthesis certainly in flight.
 */
export async function stallNext(server: VendorServer): Promise<void> {
  const arrived = server.nextRequest();
  server.failNext('hang');
  await arrived;
}

/** 16-bit mono PCM samples of a sine tone. */
export function tonePcm(seconds: number, { frequency = 440, sampleRate = 24_000, amplitude = 0.3 } = {}): Buffer {
  const samples = Math.round(seconds * sampleRate);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / sampleRate) * amplitude * 32767), i * 2);
  return pcm;
}

/** A WAV file of a sine tone, as a vendor answering with RIFF PCM would send it. */
export function toneWav(seconds: number, options: { frequency?: number; sampleRate?: number } = {}): Buffer {
  const sampleRate = options.sampleRate ?? 24_000;
  return pcmWav(tonePcm(seconds, { ...options, sampleRate }), sampleRate);
}

/** Seconds of speech a fake vendor gives `text`: long enough for the contract's comparisons. */
export function spokenSeconds(text: string): number {
  return Math.min(20, 0.3 + text.length * 0.05);
}

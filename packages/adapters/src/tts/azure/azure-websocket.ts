import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { ConfigurationError, ProviderError } from '@scriptsensei/core';
import { vendorCall, type VendorHttpOptions } from '../../vendor/index.js';
import { PROVIDER } from './provider-id.js';
import type { WordBoundary } from './word-timings.js';

/** Azure times metadata in 100-nanosecond ticks. */
const TICKS_PER_SECOND = 10_000_000;

/** What one synthesis turn produced: raw PCM samples and the words' boundaries. */
export interface WebSocketTurn {
  pcm: Buffer;
  boundaries: WordBoundary[];
}

export interface WebSocketSynthesis {
  /** `wss://…/cognitiveservices/websocket/v1`. */
  url: string;
  /** Upgrade request headers: the subscription key among them. */
  headers: Record<string, string>;
  ssml: string;
  /** A `raw-…-pcm` format: the service sends bare samples over the socket. */
  rawFormat: string;
  signal?: AbortSignal | undefined;
  /** Values never to appear in an error. */
  secrets: string[];
}

/** The optional `ws` package, imported on first use so that this module loads without it. */
export async function loadWebSocket(): Promise<typeof WebSocket> {
  try {
    const module = await import('ws');
    return module.WebSocket ?? module.default;
  } catch (error) {
    throw new ConfigurationError(`${PROVIDER}: word boundaries need the optional package "ws" (npm install ws), or set wordBoundaries: false to use the REST API without them`, { cause: error });
  }
}

/**
 * Speaks `ssml` over the Speech service's websocket protocol (the one the Speech SDK uses, and
 * the only one that reports word boundaries). Each attempt is one connection and one turn; it
 * is handed to `vendorCall` dressed as a `fetch`, so the websocket gets the very timeouts,
 * retries, `Retry-After` waits, cancelling and secret redaction of the REST calls: a refused
 * upgrade is judged by its HTTP status like any answer, a turn that completes is a 200.
 */
export async function synthesizeOverWebSocket(job: WebSocketSynthesis, http: VendorHttpOptions): Promise<WebSocketTurn> {
  const client = await loadWebSocket();
  const turns = new WeakMap<Response, WebSocketTurn>();
  const fetchTurn = (url: string | URL | Request, init?: RequestInit) => runTurn(client, String(url), init ?? {}, job.rawFormat, turns);
  return vendorCall(
    { provider: PROVIDER, action: 'synthesis', url: job.url, headers: job.headers, body: job.ssml, signal: job.signal, secrets: job.secrets },
    { ...http, fetch: fetchTurn as typeof fetch },
    async (response) => turns.get(response)!,
  );
}

/** One connection: send the configuration and the SSML, collect audio and metadata until `turn.end`. */
function runTurn(client: typeof WebSocket, url: string, init: RequestInit, rawFormat: string, turns: WeakMap<Response, WebSocketTurn>): Promise<Response> {
  const signal = init.signal ?? undefined;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const socket = new client(url, { headers: init.headers as Record<string, string>, perMessageDeflate: false });
    const requestId = randomUUID().replaceAll('-', '');
    const audio: Buffer[] = [];
    const boundaries: WordBoundary[] = [];
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const fail = (error: unknown) =>
      settle(() => {
        socket.terminate();
        reject(error);
      });
    const onAbort = () => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    socket.on('unexpected-response', (_request, response) => {
      // The upgrade was refused (401, 429, 5xx…): vendorCall judges the HTTP answer.
      readText(response).then((body) => {
        const status = response.statusCode ?? 0;
        if (status < 400) return fail(new ProviderError(PROVIDER, `the websocket upgrade was answered with HTTP ${status}, not a websocket`, { status, retryable: false }));
        settle(() => {
          socket.terminate();
          resolve(new Response(body, { status, statusText: response.statusMessage ?? '', headers: headersOf(response) }));
        });
      }, fail);
    });
    socket.on('error', fail);
    socket.on('open', () => {
      socket.send(textFrame('speech.config', requestId, 'application/json', JSON.stringify(speechConfig())));
      socket.send(textFrame('synthesis.context', requestId, 'application/json', JSON.stringify(synthesisContext(rawFormat))));
      socket.send(textFrame('ssml', requestId, 'application/ssml+xml', String(init.body)));
    });
    socket.on('message', (data, isBinary) => {
      try {
        const frame = parseFrame(toBuffer(data), isBinary);
        if (frame.path === 'audio' && isBinary) {
          if (frame.body.length) audio.push(frame.body);
        } else if (frame.path === 'audio.metadata') {
          boundaries.push(...wordBoundaries(frame.body.toString('utf8')));
        } else if (frame.path === 'turn.end') {
          settle(() => {
            socket.close(1000);
            const response = new Response(null, { status: 200 });
            turns.set(response, { pcm: Buffer.concat(audio), boundaries });
            resolve(response);
          });
        }
      } catch (error) {
        fail(new ProviderError(PROVIDER, `malformed websocket message: ${error instanceof Error ? error.message : String(error)}`, { retryable: false, cause: error }));
      }
    });
    socket.on('close', (code, reason) => {
      const why = `websocket closed with code ${code}${reason.length ? `: ${reason.toString('utf8')}` : ''}`;
      // 1007 is how the service refuses the request itself (unknown voice, invalid SSML): a 400,
      // not retried. Any other close before the turn ended is a broken connection, retried.
      if (code === 1007) settle(() => resolve(new Response(why, { status: 400 })));
      else fail(new Error(`${why}, before the turn ended`));
    });
  });
}

/** A text message of the protocol: HTTP-like headers, a blank line, the body. */
function textFrame(path: string, requestId: string, contentType: string, body: string): string {
  return `Path: ${path}\r\nX-RequestId: ${requestId}\r\nX-Timestamp: ${new Date().toISOString()}\r\nContent-Type: ${contentType}\r\n\r\n${body}`;
}

/** A received message's `Path` and body. Binary messages start with their headers' length, 2 bytes big-endian. */
function parseFrame(data: Buffer, isBinary: boolean): { path: string; body: Buffer } {
  let head: string;
  let body: Buffer;
  if (isBinary) {
    if (data.length < 2) throw new Error('binary message without a header length');
    const length = data.readUInt16BE(0);
    head = data.toString('latin1', 2, 2 + length);
    body = data.subarray(2 + length);
  } else {
    const split = data.indexOf('\r\n\r\n');
    head = data.toString('utf8', 0, split < 0 ? data.length : split);
    body = split < 0 ? Buffer.alloc(0) : data.subarray(split + 4);
  }
  const path = /^path:\s*(.*?)\s*$/im.exec(head)?.[1]?.toLowerCase() ?? '';
  return { path, body };
}

/** The WordBoundary entries of an `audio.metadata` message. */
function wordBoundaries(json: string): WordBoundary[] {
  const { Metadata = [] } = JSON.parse(json) as { Metadata?: { Type?: string; Data?: { Offset?: number; Duration?: number; text?: { Text?: string } } }[] };
  return Metadata.flatMap(({ Type, Data }) => {
    if (Type !== 'WordBoundary' || typeof Data?.Offset !== 'number' || !Data.text?.Text) return [];
    const start = Data.Offset / TICKS_PER_SECOND;
    return [{ text: Data.text.Text, startSeconds: start, endSeconds: start + (Data.Duration ?? 0) / TICKS_PER_SECOND }];
  });
}

/** `speech.config`: who is calling, as the SDK announces itself. */
function speechConfig() {
  return { context: { system: { name: 'scriptsensei', build: 'Node.js', lang: 'TypeScript' }, os: { platform: 'Node.js', name: process.platform, version: process.version } } };
}

/** `synthesis.context`: the audio format, and word boundaries on (nothing else). */
function synthesisContext(rawFormat: string) {
  return {
    synthesis: {
      audio: {
        metadataOptions: { wordBoundaryEnabled: true, punctuationBoundaryEnabled: false, sentenceBoundaryEnabled: false, bookmarkEnabled: false, visemeEnabled: false, sessionEndEnabled: true },
        outputFormat: rawFormat,
      },
      language: { autoDetection: false },
    },
  };
}

function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const one of [value ?? []].flat()) headers.append(name, one);
  }
  return headers;
}

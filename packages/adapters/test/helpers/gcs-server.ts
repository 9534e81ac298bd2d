import { createHash, createPublicKey, randomUUID, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One stored object. */
interface StoredObject {
  data: Buffer;
  contentType: string;
  updated: Date;
  generation: number;
}

export interface GcsTestServerOptions {
  bucket?: string;
  /** PEM public key of the service account whose V4 signed URLs the server accepts. */
  publicKey: string;
  /** The server's clock, for signed-URL expiry. @defaultValue Date.now */
  now?: () => number;
  /** Most objects answered per list page, whatever the client asks for (GCS may answer fewer). @defaultValue 1000 */
  maxPageSize?: number;
}

export interface GcsTestServer {
  /** `http://127.0.0.1:<port>`: the client's `apiEndpoint`. */
  endpoint: string;
  bucket: string;
  /** `METHOD path?uploadType=…` of every request, in order. */
  requests: string[];
  /** Answers the next requests with these statuses (a JSON API error each) before serving again. */
  failNext(...statuses: number[]): void;
  /** Names of the objects stored in the bucket, sorted. */
  names(): string[];
  close(): Promise<void>;
}

/**
 * A small stand-in for Google Cloud Storage, speaking the parts of the JSON API the client uses
 * (https://cloud.google.com/storage/docs/json_api): bucket metadata; object metadata, media
 * download with `Range`, delete and list with pages; multipart and resumable uploads, which store
 * an object only once its upload completes; and V4 signed-URL downloads, whose RSA signature and
 * expiry it checks (https://cloud.google.com/storage/docs/authentication/signatures).
 */
export async function startGcsServer(options: GcsTestServerOptions): Promise<GcsTestServer> {
  const bucket = options.bucket ?? 'scriptsensei-test';
  const publicKey = createPublicKey(options.publicKey);
  const now = options.now ?? Date.now;
  const objects = new Map<string, StoredObject>();
  const sessions = new Map<string, { name: string; contentType: string; chunks: Buffer[] }>();
  const failures: number[] = [];
  const requests: string[] = [];
  let generation = 1;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const uploadType = url.searchParams.get('uploadType');
    requests.push(`${req.method} ${url.pathname}${uploadType ? `?uploadType=${uploadType}` : ''}`);
    const failure = failures.shift();
    const handled = failure ? Promise.resolve(apiError(res, failure, 'backendError', 'scripted failure')) : route(req, res, url);
    handled.catch((error: unknown) => {
      // A client that aborts an upload ends here: nothing is stored.
      if (!res.headersSent) apiError(res, 500, 'backendError', String(error));
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    let match: RegExpMatchArray | null;
    if ((match = path.match(/^\/upload\/storage\/v1\/b\/([^/]+)\/o$/))) {
      if (match[1] !== bucket) return apiError(res, 404, 'notFound', 'The specified bucket does not exist.');
      return upload(req, res, url);
    }
    // Downloads come on the API path or on the `/download` form of it.
    if ((match = path.match(/^(?:\/download)?\/storage\/v1\/b\/([^/]+)(?:\/o(?:\/(.+))?)?$/))) {
      const [, name, encodedObject] = match;
      if (name !== bucket) return apiError(res, 404, 'notFound', 'The specified bucket does not exist.');
      if (path.endsWith(`/b/${name}`)) return json(res, 200, { kind: 'storage#bucket', id: bucket, name: bucket });
      if (encodedObject === undefined) return list(res, url);
      const objectName = decodeURIComponent(encodedObject);
      const object = objects.get(objectName);
      if (req.method === 'DELETE') {
        if (!objects.delete(objectName)) return apiError(res, 404, 'notFound', `No such object: ${bucket}/${objectName}`);
        res.writeHead(204).end();
        return;
      }
      if (!object) return apiError(res, 404, 'notFound', `No such object: ${bucket}/${objectName}`);
      if (url.searchParams.get('alt') === 'media') return media(req, res, object);
      return json(res, 200, resource(objectName, object));
    }
    if ((match = path.match(/^\/([^/]+)\/(.+)$/)) && url.searchParams.has('X-Goog-Signature')) {
      if (match[1] !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist.');
      const refusal = checkSignedUrl(req, url);
      if (refusal) return xmlError(res, refusal.status, refusal.code, refusal.message);
      const object = objects.get(decodeURIComponent(match[2]!));
      if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      return media(req, res, object);
    }
    apiError(res, 404, 'notFound', `No route for ${req.method} ${path}`);
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const type = url.searchParams.get('uploadType');
    if (req.method === 'POST' && type === 'multipart') {
      const body = await readBody(req);
      const boundary = /boundary="?([^";]+)"?/.exec(req.headers['content-type'] ?? '')?.[1];
      if (!boundary) return apiError(res, 400, 'invalid', 'multipart upload without a boundary');
      const [metadataPart, mediaPart] = multipartParts(body, boundary);
      if (!metadataPart || !mediaPart) return apiError(res, 400, 'invalid', 'multipart upload needs metadata and media parts');
      const metadata = JSON.parse(metadataPart.body.toString('utf8')) as { name?: string; contentType?: string };
      const name = metadata.name ?? url.searchParams.get('name');
      if (!name) return apiError(res, 400, 'required', 'Required: object name');
      return json(res, 200, store(name, mediaPart.body, metadata.contentType ?? mediaPart.contentType));
    }
    if (req.method === 'POST' && type === 'resumable') {
      const metadata = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { name?: string; contentType?: string };
      const name = metadata.name ?? url.searchParams.get('name');
      if (!name) return apiError(res, 400, 'required', 'Required: object name');
      const id = randomUUID();
      sessions.set(id, { name, contentType: metadata.contentType ?? String(req.headers['x-upload-content-type'] ?? 'application/octet-stream'), chunks: [] });
      const location = new URL(url);
      location.searchParams.set('upload_id', id);
      res.writeHead(200, { Location: `http://${req.headers.host}${location.pathname}${location.search}` }).end();
      return;
    }
    if (req.method === 'PUT' && type === 'resumable') {
      const id = url.searchParams.get('upload_id') ?? '';
      const session = sessions.get(id);
      if (!session) return apiError(res, 404, 'notFound', 'No such upload session');
      // `bytes first-last/total`, with `*` for a last byte or total not known yet.
      const range = /^bytes (\d+|\*)-?(\d+|\*)?\/(\d+|\*)$/.exec(String(req.headers['content-range'] ?? 'bytes */*'));
      if (!range) return apiError(res, 400, 'invalid', `Bad Content-Range ${req.headers['content-range']}`);
      session.chunks.push(await readBody(req));
      const received = Buffer.concat(session.chunks);
      const [, first, last, total] = range;
      // Complete when the total is reached, or when a request of unknown length ran to its end.
      const complete = total !== '*' ? received.length === Number(total) : first !== '*' && last === '*';
      if (!complete) {
        res.writeHead(308, received.length ? { Range: `bytes=0-${received.length - 1}` } : {}).end();
        return;
      }
      sessions.delete(id);
      return json(res, 200, store(session.name, received, session.contentType));
    }
    apiError(res, 400, 'invalid', `Unsupported upload ${req.method} uploadType=${type}`);
  }

  function store(name: string, data: Buffer, contentType: string): Record<string, unknown> {
    const object = { data, contentType, updated: new Date(now()), generation: generation++ };
    objects.set(name, object);
    return resource(name, object);
  }

  function list(res: ServerResponse, url: URL): void {
    const prefix = url.searchParams.get('prefix') ?? '';
    const maxResults = Math.min(Number(url.searchParams.get('maxResults') ?? 1000), options.maxPageSize ?? 1000);
    const start = Number(url.searchParams.get('pageToken') ?? 0);
    const names = [...objects.keys()].filter((name) => name.startsWith(prefix)).sort();
    const page = names.slice(start, start + maxResults);
    json(res, 200, {
      kind: 'storage#objects',
      items: page.map((name) => resource(name, objects.get(name)!)),
      ...(start + maxResults < names.length && { nextPageToken: String(start + maxResults) }),
    });
  }

  function resource(name: string, object: StoredObject): Record<string, unknown> {
    return {
      kind: 'storage#object',
      id: `${bucket}/${name}/${object.generation}`,
      name,
      bucket,
      generation: String(object.generation),
      size: String(object.data.length),
      contentType: object.contentType,
      timeCreated: object.updated.toISOString(),
      updated: object.updated.toISOString(),
      md5Hash: createHash('md5').update(object.data).digest('base64'),
      crc32c: crc32c(object.data),
    };
  }

  /** The object's bytes, or the `Range` asked for (206), as GCS serves media. */
  function media(req: IncomingMessage, res: ServerResponse, object: StoredObject): void {
    const size = object.data.length;
    const headers: Record<string, string> = { 'Content-Type': object.contentType, 'Accept-Ranges': 'bytes', 'x-goog-generation': String(object.generation) };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!range) {
      const md5 = createHash('md5').update(object.data).digest('base64');
      res.writeHead(200, { ...headers, 'Content-Length': String(size), 'x-goog-hash': `crc32c=${crc32c(object.data)},md5=${md5}`, 'x-goog-stored-content-encoding': 'identity' });
      res.end(object.data);
      return;
    }
    const start = Number(range[1]);
    const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1);
    if (start >= size) return apiError(res, 416, 'requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.');
    res.writeHead(206, { ...headers, 'Content-Length': String(end - start + 1), 'Content-Range': `bytes ${start}-${end}/${size}` });
    res.end(object.data.subarray(start, end + 1));
  }

  /** Why a V4 signed URL is refused, or undefined when its signature holds and it has not expired. */
  function checkSignedUrl(req: IncomingMessage, url: URL): { status: number; code: string; message: string } | undefined {
    const query = url.searchParams;
    const [email, ...scope] = (query.get('X-Goog-Credential') ?? '').split('/');
    const date = query.get('X-Goog-Date') ?? '';
    const signedAt = Date.parse(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (query.get('X-Goog-Algorithm') !== 'GOOG4-RSA-SHA256' || !email || Number.isNaN(signedAt)) {
      return { status: 400, code: 'AuthenticationRequired', message: 'Malformed V4 signed URL.' };
    }
    const canonicalQuery = [...query.entries()]
      .filter(([name]) => name !== 'X-Goog-Signature')
      .map(([name, value]) => `${rfc3986(name)}=${rfc3986(value)}`)
      .sort()
      .join('&');
    const signedHeaders = query.get('X-Goog-SignedHeaders') ?? 'host';
    // The client signs the host name without the port it is reached on.
    const headerValue = (name: string) => (name === 'host' ? String(req.headers.host).replace(/:\d+$/, '') : String(req.headers[name] ?? '').trim());
    const canonicalHeaders = signedHeaders
      .split(';')
      .map((name) => `${name}:${headerValue(name)}\n`)
      .join('');
    const canonicalRequest = [req.method, url.pathname, canonicalQuery, canonicalHeaders, signedHeaders, 'UNSIGNED-PAYLOAD'].join('\n');
    const stringToSign = ['GOOG4-RSA-SHA256', date, scope.join('/'), createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
    if (!verifies(publicKey, stringToSign, query.get('X-Goog-Signature') ?? '')) {
      return { status: 403, code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided.' };
    }
    if (now() > signedAt + Number(query.get('X-Goog-Expires')) * 1000) {
      return { status: 400, code: 'ExpiredToken', message: 'Invalid argument. Request has expired.' };
    }
    return undefined;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    requests,
    failNext: (...statuses) => void failures.push(...statuses),
    names: () => [...objects.keys()].sort(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // Rejects when the client aborts mid-body, so an interrupted upload is never stored.
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The parts of a `multipart/related` body: each part's Content-Type and bytes. */
function multipartParts(body: Buffer, boundary: string): { contentType: string; body: Buffer }[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    parts.push({
      contentType: /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream',
      // The part's bytes end before the CRLF that precedes the next delimiter.
      body: part.subarray(headerEnd + 4, part.length - 2),
    });
    at = next;
  }
  return parts;
}

function verifies(key: KeyObject, data: string, signatureHex: string): boolean {
  try {
    return verify('RSA-SHA256', Buffer.from(data), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}

/** Percent-encodes everything but RFC 3986's unreserved characters. */
function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** An error as the JSON API sends it. */
function apiError(res: ServerResponse, status: number, reason: string, message: string): void {
  json(res, status, { error: { code: status, message, errors: [{ domain: 'global', reason, message }] } });
}

/** An error as the XML API (signed URLs) sends it. */
function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml; charset=UTF-8' });
  res.end(`<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC32C (Castagnoli) of `data`, big-endian and base64 as GCS reports it. */
function crc32c(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

import { createServer, STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AzureVoice } from '../../src/tts/azure/voices.js';
import { spokenSeconds, startVendorServer, toneWav, tonePcm, type RecordedRequest, type Reply, type VendorServer } from './vendor-server.js';

// A fake Azure Speech service: the REST API on a vendor server, the websocket protocol on a
// second server that also lists voices. Both check requests as Azure documents them and answer
// with a 440 Hz tone as long as `spokenSeconds(text)`. Neither takes time over it: a test that
// needs a synthesis in flight makes the next one hang (`failNext('hang')`, see `stallNext`).

export const KEY = 'azure-test-key-5f0c2a9e71d84b3c';
export const SYNTHESIS = '/cognitiveservices/v1';
export const WEBSOCKET = '/cognitiveservices/websocket/v1';
export const VOICE_LIST = '/cognitiveservices/voices/list';
const TICKS = 10_000_000;

/** As Azure lists them, with more fields than the provider reads. */
export const VOICES: (AzureVoice & { LocaleName: string })[] = [
  { ShortName: 'en-US-GuyRUS', Locale: 'en-US', VoiceType: 'Standard', DisplayName: 'Guy', LocaleName: 'English (United States)' },
  {
    ShortName: 'en-US-JennyNeural',
    Name: 'Microsoft Server Speech Text to Speech Voice (en-US, JennyNeural)',
    Locale: 'en-US',
    VoiceType: 'Neural',
    DisplayName: 'Jenny',
    LocaleName: 'English (United States)',
  },
  { ShortName: 'en-GB-SoniaNeural', Locale: 'en-GB', VoiceType: 'Neural', DisplayName: 'Sonia', LocaleName: 'English (United Kingdom)' },
  { ShortName: 'fr-CA-SylvieNeural', Locale: 'fr-CA', VoiceType: 'Neural', DisplayName: 'Sylvie', LocaleName: 'French (Canada)' },
  { ShortName: 'fr-FR-DeniseNeural', Locale: 'fr-FR', VoiceType: 'Neural', DisplayName: 'Denise', LocaleName: 'French (France)' },
  { ShortName: 'de-DE-KatjaNeural', Locale: 'de-DE', VoiceType: 'Neural', DisplayName: 'Katja', LocaleName: 'German (Germany)' },
  {
    ShortName: 'en-US-AvaMultilingualNeural',
    Locale: 'en-US',
    VoiceType: 'Neural',
    DisplayName: 'Ava Multilingual',
    LocaleName: 'English (United States)',
    SecondaryLocaleList: ['de-DE', 'ja-JP'],
  },
];
const known = (voice: string) => VOICES.some((v) => v.ShortName === voice);

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
export const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * The language, voice and text of an SSML body, or `undefined` when it is not the well-formed
 * `<speak><voice>text</voice></speak>` document expected: a stray `<`, an `&` that starts no
 * entity, or a character XML forbids.
 */
export function readSsml(body: string): { language: string; voice: string; text: string } | undefined {
  const match = /^<speak version='1\.0' xmlns='http:\/\/www\.w3\.org\/2001\/10\/synthesis' xml:lang='([^'<]*)'><voice name='([^'<]*)'>([^<]*)<\/voice><\/speak>$/su.exec(body);
  if (!match || NOT_XML.test(body)) return undefined;
  const [, language, voice, text] = match as unknown as [string, string, string, string];
  if ([language, voice, text].some((part) => /&(?!(amp|lt|gt|quot|apos);)/.test(part))) return undefined;
  const decode = (part: string) => part.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name]!);
  return { language: decode(language), voice: decode(voice), text: decode(text) };
}

/** The word boundaries the fake speaks `text` with: its words without punctuation, in equal slots. */
function fakeBoundaries(text: string, seconds: number): { text: string; startSeconds: number; endSeconds: number }[] {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu, ''))
    .filter(Boolean);
  const slot = (seconds - 0.2) / Math.max(1, words.length);
  return words.map((word, i) => ({ text: word, startSeconds: 0.1 + i * slot, endSeconds: 0.1 + i * slot + slot * 0.8 }));
}

/** The REST API: voices/list and cognitiveservices/v1. */
export async function restAnswer(request: RecordedRequest): Promise<Reply> {
  const header = (name: string) => request.headers[name];
  if (header('ocp-apim-subscription-key') !== KEY) return { status: 401, body: { error: { code: '401', message: 'Access denied due to invalid subscription key or wrong API endpoint.' } } };
  if (request.method === 'GET' && request.path === VOICE_LIST) return { body: VOICES };
  if (request.method !== 'POST' || request.path !== SYNTHESIS) return { status: 404, body: 'test server: no such endpoint' };
  if (header('content-type') !== 'application/ssml+xml') return { status: 400, body: `test server: content-type ${header('content-type')}` };
  if (header('x-microsoft-outputformat') !== 'riff-24khz-16bit-mono-pcm') return { status: 400, body: `test server: format ${header('x-microsoft-outputformat')}` };
  if (header('user-agent') !== 'scriptsensei') return { status: 400, body: `test server: user-agent ${header('user-agent')}` };
  const ssml = readSsml(request.body.toString('utf8'));
  // Azure answers a bad document or an unknown voice with a bare 400.
  if (!ssml || !known(ssml.voice)) return { status: 400, body: '' };
  return { headers: { 'content-type': 'audio/x-wav' }, body: toneWav(spokenSeconds(ssml.text)) };
}

interface Frame {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One synthesis the websocket fake answered: what it was sent and the boundaries it reported. */
export interface FakeTurn {
  upgradeHeaders: IncomingHttpHeaders;
  frames: Frame[];
  language: string;
  voice: string;
  text: string;
  seconds: number;
  boundaries: { text: string; startSeconds: number; endSeconds: number }[];
}

function parseTextFrame(raw: string): Frame {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { path: headers.path ?? '', headers, body: raw.slice(split + 4) };
}

const textFrame = (path: string, requestId: string, body: string) => `Path: ${path}\r\nX-RequestId: ${requestId}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${body}`;

function audioFrame(requestId: string, pcm: Buffer): Buffer {
  const head = Buffer.from(`Path: audio\r\nX-RequestId: ${requestId}\r\nX-StreamId: 1\r\nContent-Type: audio/x-wav\r\n`, 'ascii');
  const length = Buffer.alloc(2);
  length.writeUInt16BE(head.length);
  return Buffer.concat([length, head, pcm]);
}

/** Speaks one turn as the service does: turn.start, word boundaries, audio frames, turn.end. */
function answerTurn(socket: WebSocket, upgradeHeaders: IncomingHttpHeaders, turns: FakeTurn[]): void {
  const frames: Frame[] = [];
  socket.on('message', (data, isBinary) => {
    if (isBinary) return socket.close(1007, 'test server: binary message from the client');
    const frame = parseTextFrame(data.toString());
    frames.push(frame);
    if (frame.path !== 'ssml') return;
    const [config, context] = frames;
    const audio = context?.path === 'synthesis.context' ? JSON.parse(context.body).synthesis?.audio : undefined;
    if (config?.path !== 'speech.config' || audio?.metadataOptions?.wordBoundaryEnabled !== true || audio.outputFormat !== 'raw-24khz-16bit-mono-pcm') {
      return socket.close(1007, 'test server: speech.config then synthesis.context (word boundaries, raw-24khz-16bit-mono-pcm) must come first');
    }
    const ssml = readSsml(frame.body);
    if (!ssml) return socket.close(1007, 'SSML is not well-formed');
    if (!known(ssml.voice)) return socket.close(1007, `Unsupported voice ${ssml.voice}.`);
    const seconds = spokenSeconds(ssml.text);
    const turn: FakeTurn = { upgradeHeaders, frames, ...ssml, seconds, boundaries: fakeBoundaries(ssml.text, seconds) };
    turns.push(turn);
    const id = frame.headers['x-requestid'] ?? '';
    socket.send(textFrame('turn.start', id, JSON.stringify({ context: { serviceTag: 'fake' } })));
    for (const b of turn.boundaries) {
      const data = { Offset: Math.round(b.startSeconds * TICKS), Duration: Math.round((b.endSeconds - b.startSeconds) * TICKS), text: { Text: b.text, Length: b.text.length, BoundaryType: 'WordBoundary' } };
      socket.send(textFrame('audio.metadata', id, JSON.stringify({ Metadata: [{ Type: 'WordBoundary', Data: data }] })));
    }
    const pcm = tonePcm(seconds);
    for (let at = 0; at < pcm.length; at += 9600) socket.send(audioFrame(id, pcm.subarray(at, at + 9600)));
    socket.send(textFrame('turn.end', id, '{}'));
  });
}

/** Writes an HTTP answer to a refused upgrade. */
function refuseUpgrade(socket: Duplex, reply: Exclude<Reply, 'hang'>): void {
  const { status = 500, headers = {}, body = '' } = reply;
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body.toString() : JSON.stringify(body);
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`, 'Connection: close', 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(text)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

/**
 * The websocket fake, as a `VendorServer` so the vendor behaviour suite runs on it: upgrade
 * requests are recorded and `failNext` refuses (or never answers) the next upgrades.
 */
export async function startWebSocketFake(): Promise<VendorServer & { turns: FakeTurn[] }> {
  const requests: RecordedRequest[] = [];
  const scripted: Reply[] = [];
  const waiting: ((request: RecordedRequest) => void)[] = [];
  const held = new Set<Duplex>();
  const turns: FakeTurn[] = [];
  const wss = new WebSocketServer({ noServer: true });
  const record = (method: string, rawUrl: string | undefined, headers: IncomingHttpHeaders) => {
    const url = new URL(rawUrl ?? '/', 'http://127.0.0.1');
    const recorded: RecordedRequest = { method, path: url.pathname, url, headers, body: Buffer.alloc(0) };
    requests.push(recorded);
    for (const resolve of waiting.splice(0)) resolve(recorded);
    return recorded;
  };
  const server = createServer((req, res) => {
    const recorded = record(req.method ?? 'GET', req.url, req.headers);
    void restAnswer(recorded).then((reply) => {
      if (reply === 'hang') return;
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const recorded = record('GET', req.url, req.headers);
    const reply = scripted.shift();
    if (reply === 'hang') held.add(socket);
    else if (reply) refuseUpgrade(socket, reply);
    else if (req.headers['ocp-apim-subscription-key'] !== KEY) refuseUpgrade(socket, { status: 401, body: { error: { message: 'Access denied due to invalid subscription key.' } } });
    else if (recorded.path !== WEBSOCKET) refuseUpgrade(socket, { status: 404, body: 'test server: no such endpoint' });
    else wss.handleUpgrade(req, socket, head, (ws) => answerTurn(ws, req.headers, turns));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    turns,
    reset: () => void requests.splice(0),
    failNext: (...replies) => void scripted.push(...replies),
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      for (const client of wss.clients) client.terminate();
      for (const socket of held) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The REST fake: `voices/list` and `cognitiveservices/v1` on a vendor server. */
export function startRestFake(): Promise<VendorServer> {
  return startVendorServer(restAnswer);
}

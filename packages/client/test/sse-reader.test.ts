import { describe, expect, it } from 'vitest';
import { readEvents, type SseEvent } from '../src/sse-reader.js';

/** Reads `chunks` (as separate network chunks) and returns the events dispatched. */
async function parse(...chunks: string[]): Promise<SseEvent[]> {
  const encoder = new TextEncoder();
  const body = new ReadableStream<BufferSource>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  const events: SseEvent[] = [];
  await readEvents(body, (e) => events.push(e));
  return events;
}

describe('SSE reader (the HTML standard event-stream rules)', () => {
  it('reads named events with ids, and keeps the last id for later events', async () => {
    expect(await parse('event: job\ndata: {"a":1}\nid: 10-1\n\ndata: plain\n\n')).toEqual([
      { event: 'job', data: '{"a":1}', id: '10-1' },
      { event: 'message', data: 'plain', id: '10-1' },
    ]);
  });

  it('accepts LF, CRLF and CR line ends, also split across chunks', async () => {
    const expected = [{ event: 'job', data: 'x', id: undefined }, { event: 'job', data: 'y', id: undefined }];
    expect(await parse('event: job\r\ndata: x\r\n\r\nevent: job\rdata: y\r\r')).toEqual(expected);
    expect(await parse('event: job\r', '\ndata: x\r', '\n\r', '\nevent: jo', 'b\ndata: y\n', '\n')).toEqual(expected);
  });

  it('joins data lines, drops one leading space only, ignores comments and unknown fields', async () => {
    expect(await parse(': heartbeat\n\ndata:  two spaces\ndata:none\nretry: 5\nfoo: bar\ndata\n\n')).toEqual([{ event: 'message', data: ' two spaces\nnone\n', id: undefined }]);
  });

  it('dispatches nothing for an empty data field or an event the stream ends in the middle of', async () => {
    expect(await parse('data:\n\nevent: job\ndata: cut off')).toEqual([]);
  });

  it('decodes multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: 日本語 ✓\n\n');
    const body = new ReadableStream<BufferSource>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readEvents(body, (e) => events.push(e));
    expect(events).toEqual([{ event: 'message', data: '日本語 ✓', id: undefined }]);
  });

  it('ignores an id containing NUL, as browsers do', async () => {
    expect(await parse('id: a\0b\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x', id: undefined }]);
  });
});

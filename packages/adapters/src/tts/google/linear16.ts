import { ProviderError } from '@scriptsensei/core';
import { PROVIDER } from './provider-id.js';

/** 16-bit PCM samples and their format. */
export interface Pcm {
  samples: Buffer;
  sampleRate: number;
  channels: number;
}

/**
 * The samples of a `LINEAR16` answer. Google sends them inside a WAV file; bare samples (a proxy
 * that stripped the header) are taken as mono at `sampleRate`, the rate asked for.
 */
export function linear16(bytes: Buffer, sampleRate: number): Pcm {
  const whole = (pcm: Pcm): Pcm => ({ ...pcm, samples: pcm.samples.subarray(0, pcm.samples.length - (pcm.samples.length % (2 * pcm.channels))) });
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') return whole({ samples: bytes, sampleRate, channels: 1 });
  let format = { sampleRate, channels: 1 };
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = bytes.toString('ascii', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ' && size >= 16) format = { channels: Math.max(1, bytes.readUInt16LE(body + 2)), sampleRate: bytes.readUInt32LE(body + 4) };
    // A streaming writer may leave a placeholder size: the answer's length bounds it.
    if (id === 'data') return whole({ samples: bytes.subarray(body, Math.min(bytes.length, body + size)), ...format });
    at = body + size + (size % 2);
  }
  throw new ProviderError(PROVIDER, 'the answer is a WAV file without a data chunk');
}

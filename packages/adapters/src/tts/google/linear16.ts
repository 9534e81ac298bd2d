import { ProviderError, wavLayout } from '@scriptsensei/core';
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
  const layout = wavLayout(bytes);
  if (layout) return whole({ samples: bytes.subarray(layout.dataOffset, layout.dataOffset + layout.dataBytes), sampleRate: layout.sampleRate, channels: Math.max(1, layout.channels) });
  if (bytes.toString('ascii', 0, 4) === 'RIFF') throw new ProviderError(PROVIDER, 'the answer is a WAV file without a data chunk');
  return whole({ samples: bytes, sampleRate, channels: 1 });
}

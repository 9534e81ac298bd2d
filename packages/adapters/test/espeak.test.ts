import { findOnPath } from '@scriptsensei/core';
import { runTTSProviderContract } from '@scriptsensei/core/testing';
import { createEspeakTTS } from '@scriptsensei/adapters/tts/espeak';

runTTSProviderContract({
  name: 'espeak (npm WASM build)',
  create: () => createEspeakTTS({ engine: 'wasm' }),
  capabilities: { listVoices: true, knownVoice: 'en-us' },
});

const systemBinary = process.env.ESPEAK_NG_PATH ?? findOnPath('espeak-ng');
if (!systemBinary) console.warn('\n*** espeak-ng binary not on PATH: the system-binary espeak contract suite is SKIPPED ***\n');

runTTSProviderContract({
  name: 'espeak (system binary)',
  create: () => createEspeakTTS({ engine: 'binary' }),
  capabilities: { listVoices: true, knownVoice: 'en-us' },
  skip: systemBinary ? undefined : 'espeak-ng not installed',
});

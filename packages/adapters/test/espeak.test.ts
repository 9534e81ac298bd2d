import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ValidationError, findOnPath } from '@scriptsensei/core';
import { voiceForLanguage } from '../src/tts/espeak/voices.js';
import { runTTSProviderContract, until } from '@scriptsensei/core/testing';
import { createEspeakTTS } from '@scriptsensei/adapters/tts/espeak';

runTTSProviderContract({
  name: 'espeak (npm WASM build)',
  create: () => createEspeakTTS({ engine: 'wasm' }),
  capabilities: { listVoices: true, knownVoice: 'en-us' },
});

const systemBinary = process.env.ESPEAK_NG_PATH ?? findOnPath('espeak-ng');
if (!systemBinary) {
  // CI installs espeak-ng, so there the binary path must be covered, not skipped.
  if (process.env.CI === 'true') throw new Error('espeak-ng is not installed, but CI must test the system-binary engine');
  console.warn('\n*** espeak-ng binary not on PATH: the system-binary espeak contract suite is SKIPPED ***\n');
}

/** The commands of this process's children (Linux /proc), to see espeak-ng running. */
function childCommands(): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        // stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split at the last ')'.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const ppid = Number(stat.slice(close + 2).split(' ')[1]);
        return ppid === process.pid ? [stat.slice(stat.indexOf('(') + 1, close)] : [];
      } catch {
        return []; // exited meanwhile
      }
    });
}

runTTSProviderContract({
  name: 'espeak (system binary)',
  create: () => createEspeakTTS({ engine: 'binary' }),
  capabilities: { listVoices: true, knownVoice: 'en-us' },
  // Cancelled once espeak-ng runs, so the test shows the process is killed mid-synthesis.
  stallNextSynthesis: process.platform === 'linux' ? () => until(() => childCommands().includes('espeak-ng'), 10_000, 5, 'espeak-ng to start') : undefined,
  skip: systemBinary ? undefined : 'espeak-ng not installed',
});

describe('espeak configuration and input errors', () => {
  it('an explicit binary path that does not exist is a configuration error', async () => {
    const tts = createEspeakTTS({ engine: 'binary', binaryPath: '/nope/espeak-ng' });
    await expect(tts.engine()).rejects.toSatisfy(ConfigurationError.is);
  });

  it('an unknown voice or language is a validation error naming the field', async () => {
    const tts = createEspeakTTS({ engine: 'wasm' });
    const voice = await tts.synthesize({ text: 'Hi.', language: 'en-US', voice: 'klingon-9', outputPath: '/tmp/never.wav' }).catch((e) => e);
    expect(ValidationError.is(voice) && voice.issues[0]!.field).toBe('voice');
    const language = await tts.synthesize({ text: 'Hi.', language: 'xx-YY', outputPath: '/tmp/never.wav' }).catch((e) => e);
    expect(ValidationError.is(language) && language.issues[0]!.field).toBe('language');
  });

  it('picks a voice from the language tag', async () => {
    const voices = await createEspeakTTS({ engine: 'wasm' }).listVoices!();
    expect(voiceForLanguage(voices, 'en-US')?.id).toBe('en-us');
    expect(voiceForLanguage(voices, 'fr-CA')?.languages).toContain('fr');
    expect(voiceForLanguage(voices, 'zh-CN')?.id).toBe('cmn');
  });
});

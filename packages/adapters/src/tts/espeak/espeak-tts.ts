import { accessSync, constants, statSync } from 'node:fs';
import type { TTSProvider, TTSRequest, TTSResult, VoiceInfo } from '@scriptsensei/core';
import { ConfigurationError, ProviderError, ValidationError, findOnPath, wavDurationSeconds } from '@scriptsensei/core';
import { binaryEngine } from './binary-engine.js';
import type { EspeakEngine } from './engine.js';
import { parseVoicesTable, voiceForLanguage } from './voices.js';
import { wasmEngine, wasmModuleUrl } from './wasm-engine.js';

export interface EspeakTTSOptions {
  /**
   * Which espeak-ng to use: `auto` takes the system binary when found, else the WASM build.
   * @defaultValue 'auto'
   */
  engine?: 'auto' | 'binary' | 'wasm';
  /**
   * Path to the espeak-ng binary.
   * @defaultValue `ESPEAK_NG_PATH`, else `espeak-ng` (or `espeak`) on PATH
   */
  binaryPath?: string;
  /**
   * Voice used when a request names none; `undefined` picks one from the request's language.
   * @defaultValue undefined
   */
  voice?: string;
  /**
   * Speaking rate in words per minute (espeak-ng `-s`, 80–450).
   * @defaultValue 165
   */
  rate?: number;
  /**
   * Pitch, 0–99 (espeak-ng `-p`).
   * @defaultValue 50
   */
  pitch?: number;
}

export interface EspeakTTS extends TTSProvider {
  /** The espeak-ng build in use. Throws `ConfigurationError` when none is available. */
  engine(): Promise<EspeakEngine>;
}

const DEFAULTS = { engine: 'auto', rate: 165, pitch: 50 } as const;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Offline text-to-speech with espeak-ng: the system binary when installed, else the npm
 * `espeak-ng` WASM build (an optional dependency, GPL-3.0-or-later). Writes 16-bit PCM WAV.
 */
export function createEspeakTTS(options: EspeakTTSOptions = {}): EspeakTTS {
  const settings = { ...DEFAULTS, ...options };
  if (!Number.isFinite(settings.rate) || settings.rate < 80 || settings.rate > 450) {
    throw new ConfigurationError(`espeak rate must be 80-450 words per minute, got ${settings.rate}`);
  }
  if (!Number.isInteger(settings.pitch) || settings.pitch < 0 || settings.pitch > 99) {
    throw new ConfigurationError(`espeak pitch must be an integer 0-99, got ${settings.pitch}`);
  }
  let engine: Promise<EspeakEngine> | undefined;
  let voices: Promise<VoiceInfo[]> | undefined;

  const getEngine = () => (engine ??= Promise.resolve().then(() => pickEngine(settings)));
  const listVoices = () =>
    (voices ??= getEngine()
      .then((e) => e.voicesTable())
      .then(parseVoicesTable)
      .catch((error) => {
        voices = undefined;
        throw error;
      }));

  async function chooseVoice(request: Pick<TTSRequest, 'language' | 'voice'>): Promise<string> {
    const all = await listVoices();
    const named = request.voice ?? settings.voice;
    if (named) {
      const base = named.split('+')[0]!.toLowerCase();
      // espeak takes a voice by its id (`en-us`) or by a language a voice serves (`en`).
      if (!all.some((v) => v.id === base || v.languages.includes(base))) {
        throw new ValidationError([{ field: 'voice', message: `espeak has no voice "${named}" (it has ${sampleVoices(all)})` }]);
      }
      return named;
    }
    const voice = voiceForLanguage(all, request.language);
    if (!voice) {
      throw new ValidationError([{ field: 'language', message: `espeak has no voice for "${request.language}"; it speaks ${sampleLanguages(all)}` }]);
    }
    return voice.id;
  }

  return {
    specificationVersion: 'v1',
    provider: 'espeak',
    fingerprint: JSON.stringify({ engine: settings.engine, binary: settings.binaryPath, voice: settings.voice, rate: settings.rate, pitch: settings.pitch }),
    engine: getEngine,
    listVoices,
    resolveVoice: (language, voice) => chooseVoice({ language, voice }),
    async healthCheck() {
      await listVoices();
    },
    async synthesize(request: TTSRequest): Promise<TTSResult> {
      const voice = await chooseVoice(request);
      const active = await getEngine();
      await active.synthesize({
        text: request.text,
        options: ['-v', voice, '-s', String(Math.round(settings.rate)), '-p', String(settings.pitch)],
        outputPath: request.outputPath,
        signal: request.signal,
      });
      const durationSeconds = await wavDurationSeconds(request.outputPath);
      if (durationSeconds === undefined) throw new ProviderError('espeak', 'espeak-ng wrote no readable WAV');
      return { durationSeconds };
    },
  };
}

/** The languages espeak speaks, as BCP-47-style tags, for an error message. */
function sampleLanguages(voices: VoiceInfo[]): string {
  const tags = [...new Set(voices.flatMap((v) => v.languages))].sort();
  return `${tags.slice(0, 40).join(', ')}${tags.length > 40 ? `, … ${tags.length} in all (see espeak-ng --voices)` : ''}`;
}

function sampleVoices(voices: VoiceInfo[]): string {
  const ids = voices.map((v) => v.id);
  return `${ids.slice(0, 8).join(', ')}${ids.length > 8 ? `, … ${ids.length} in all` : ''}`;
}

function pickEngine(settings: EspeakTTSOptions): EspeakEngine {
  const explicit = settings.binaryPath ?? process.env.ESPEAK_NG_PATH;
  if (explicit !== undefined && settings.engine !== 'wasm') {
    if (!isExecutable(explicit)) {
      throw new ConfigurationError(`espeak-ng binary ${explicit} (from ${settings.binaryPath ? 'option binaryPath' : 'ESPEAK_NG_PATH'}) is missing or not executable`);
    }
    return binaryEngine(explicit);
  }
  const binary = findOnPath('espeak-ng') ?? findOnPath('espeak');
  if (settings.engine !== 'wasm' && binary) return binaryEngine(binary);
  if (settings.engine === 'binary') {
    throw new ConfigurationError('espeak-ng binary not found: install espeak-ng, set ESPEAK_NG_PATH, or use engine "wasm".');
  }
  const moduleUrl = wasmModuleUrl();
  if (moduleUrl) return wasmEngine(moduleUrl);
  throw new ConfigurationError(
    'No espeak-ng available: install the system package (apt-get install espeak-ng) or the npm package espeak-ng (GPL-3.0).',
  );
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '@scriptsensei/core';
import { createProviders, providersConfigFromEnv } from '@scriptsensei/adapters/providers';
import { defaultStorageDirectory } from '@scriptsensei/adapters/storage/local';

describe('providers from the environment', () => {
  it('is the embedded set when nothing is configured', () => {
    expect(providersConfigFromEnv({})).toEqual({ tts: { espeak: true }, images: { provider: 'slides' }, storage: { provider: 'local', directory: defaultStorageDirectory({}) } });
  });

  it('offers every cloud voice whose key is set, and the one TTS_PROVIDER names by default', () => {
    const env = { AZURE_SPEECH_KEY: 'k', GOOGLE_APPLICATION_CREDENTIALS: '/creds.json', ELEVENLABS_API_KEY: 'e', TTS_PROVIDER: 'ElevenLabs' };
    expect(providersConfigFromEnv(env)).toMatchObject({ tts: { espeak: true, azure: true, google: true, elevenlabs: true }, defaultTts: 'elevenlabs' });
    expect(providersConfigFromEnv({ OPENAI_API_KEY: 'o' }).tts).toEqual({ espeak: true, openai: true });
  });

  it('picks images and storage by name, or storage by the bucket set', () => {
    expect(providersConfigFromEnv({ IMAGE_PROVIDER: 'pexels', PEXELS_MEDIA: 'Videos', S3_BUCKET: 'b' })).toMatchObject({
      images: { provider: 'pexels', media: 'videos' },
      storage: { provider: 's3' },
    });
    expect(providersConfigFromEnv({ GCS_BUCKET: 'g' }).storage).toEqual({ provider: 'gcs' });
    expect(providersConfigFromEnv({ GCS_BUCKET: 'g', STORAGE_PROVIDER: 'local', STORAGE_DIR: '/srv/videos' }).storage).toEqual({ provider: 'local', directory: '/srv/videos' });
  });

  it.each([
    [{ TTS_PROVIDER: 'polly' }, /TTS_PROVIDER must be one of azure, google, elevenlabs, openai, espeak, got "polly"/],
    [{ TTS_PROVIDER: 'azure' }, /TTS_PROVIDER=azure needs AZURE_SPEECH_KEY to be set/],
    [{ IMAGE_PROVIDER: 'midjourney' }, /IMAGE_PROVIDER must be one of slides, openai, stability, pexels/],
    [{ STORAGE_PROVIDER: 'ftp' }, /STORAGE_PROVIDER must be one of local, s3, gcs/],
    [{ IMAGE_PROVIDER: 'pexels', PEXELS_MEDIA: 'gifs' }, /PEXELS_MEDIA must be photos, videos or auto/],
  ])('refuses %j with a ConfigurationError naming the variable', (env, message) => {
    const error = (() => {
      try {
        providersConfigFromEnv(env);
      } catch (e) {
        return e;
      }
    })();
    expect(ConfigurationError.is(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

describe('createProviders', () => {
  const KEYS = {
    AZURE_SPEECH_KEY: 'azure-secret-key-123',
    AZURE_SPEECH_REGION: 'westeurope',
    GOOGLE_TTS_API_KEY: 'google-secret-key-123',
    ELEVENLABS_API_KEY: 'eleven-secret-key-123',
    OPENAI_API_KEY: 'openai-secret-key-123',
  };

  it('builds every configured voice (espeak included), the named default first, without calling a vendor', () => {
    const providers = createProviders(undefined, { ...KEYS, TTS_PROVIDER: 'google', IMAGE_PROVIDER: 'pexels', PEXELS_API_KEY: 'pexels-secret-1', S3_BUCKET: 'videos' });
    expect(providers.tts.provider).toBe('google');
    expect(providers.voices.map((v) => v.provider)).toEqual(['google', 'azure', 'elevenlabs', 'openai', 'espeak']);
    expect(providers.images).toMatchObject({ provider: 'pexels', specificationVersion: 'v2' });
    expect(providers.storage.provider).toBe('s3');
    for (const voice of providers.voices) expect(voice.fingerprint ?? '').not.toMatch(/secret/);
  });

  it('takes one plain object; keys it leaves out come from the environment given', () => {
    const providers = createProviders(
      { tts: { azure: { region: 'westeurope', voice: 'en-US-JennyNeural' } }, defaultTts: 'azure', images: { provider: 'slides', theme: 'paper' }, storage: { provider: 'local', directory: 'somewhere' } },
      { AZURE_SPEECH_KEY: 'azure-secret-key-123' },
    );
    expect(providers.voices.map((v) => v.provider)).toEqual(['azure', 'espeak']);
    expect(providers.images.provider).toBe('slides');
    expect(providers.storage.provider).toBe('local');
  });

  it('leaves out a voice offered only by a key it cannot use, with a warning; the named default must work', () => {
    // gcloud's user login: fine for GCS storage, not a service account Google TTS could sign with.
    const file = join(mkdtempSync(join(tmpdir(), 'providers-')), 'adc.json');
    writeFileSync(file, JSON.stringify({ type: 'authorized_user', client_id: 'c', client_secret: 'user-secret-123', refresh_token: 'r' }));
    const env = { GOOGLE_APPLICATION_CREDENTIALS: file, GCS_BUCKET: 'videos', AZURE_SPEECH_KEY: 'azure-secret-key-123' };
    const warnings: string[] = [];
    const providers = createProviders(undefined, env, (warning) => warnings.push(warning));
    expect(providers.voices.map((v) => v.provider)).toEqual(['espeak']);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^azure voices are not available: .*AZURE_SPEECH_REGION/);
    expect(warnings[1]).toMatch(/^google voices are not available: /);
    expect(warnings.join(' ')).not.toMatch(/secret/);
    expect(providers.storage.provider).toBe('gcs');
    expect(() => createProviders(undefined, { ...env, TTS_PROVIDER: 'google' }, () => {})).toThrow(/service/);
    rmSync(dirname(file), { recursive: true, force: true });
  });

  it.each([
    [{ tts: { azure: true as const } }, /AZURE_SPEECH_KEY/],
    [{ images: { provider: 'stability' as const } }, /STABILITY_API_KEY/],
    [{ storage: { provider: 's3' as const } }, /S3_BUCKET/],
    [{ defaultTts: 'openai' as const }, /the default TTS provider "openai" is not configured \(configured: espeak\)/],
  ])('a missing key or provider is a ConfigurationError naming it: %j', (config, message) => {
    let error: unknown;
    try {
      createProviders(config, {});
    } catch (e) {
      error = e;
    }
    expect(ConfigurationError.is(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});

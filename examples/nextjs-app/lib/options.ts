import type { JobStatus, RenderRequest } from '@scriptsensei/client';

export type Platform = NonNullable<RenderRequest['platform']>;

export const PLATFORMS: { value: Platform; label: string }[] = [
  { value: 'youtube', label: 'YouTube (16:9)' },
  { value: 'tiktok', label: 'TikTok (9:16)' },
  { value: 'shorts', label: 'YouTube Shorts (9:16)' },
  { value: 'reels', label: 'Instagram Reels (9:16)' },
  { value: 'instagram', label: 'Instagram feed (1:1)' },
];

/** Voices of the reference server's espeak-ng; empty means the default voice for the language. */
export const VOICES = [
  { value: '', label: 'Default for the language' },
  { value: 'en-us', label: 'English (US)' },
  { value: 'en-gb', label: 'English (UK)' },
  { value: 'en-us+f3', label: 'English (US), higher pitch' },
];

/** The slide themes of the reference server; empty means its default. */
export const STYLES = [
  { value: '', label: 'Default' },
  { value: 'midnight', label: 'Midnight' },
  { value: 'paper', label: 'Paper' },
  { value: 'ocean', label: 'Ocean' },
  { value: 'sunset', label: 'Sunset' },
  { value: 'forest', label: 'Forest' },
];

export const STATUSES: JobStatus[] = ['pending', 'processing', 'retrying', 'success', 'failure', 'cancelled'];

/** The form's values; empty strings are "not set". */
export interface VideoSettings {
  title: string;
  voice: string;
  platform: Platform;
  style: string;
  language: string;
}

export const DEFAULT_SETTINGS: VideoSettings = { title: '', voice: '', platform: 'youtube', style: '', language: 'en-US' };

/** A render request from a script and the form's settings, leaving out what is not set. */
export function toRequest(script: string, s: VideoSettings): RenderRequest {
  return {
    script,
    title: s.title.trim() || undefined,
    voice: s.voice || undefined,
    platform: s.platform,
    style: s.style || undefined,
    language: s.language.trim() || undefined,
  };
}

/** Scripts separated by a line holding only `---`; blank ones are dropped. */
export function splitScripts(text: string): string[] {
  return text
    .split(/^[ \t]*---[ \t]*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}

export const dateTime = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '—');

'use client';

import type { JobTemplate, JobTemplateInput } from '@scriptsensei/client';
import { DEFAULT_SETTINGS, PLATFORMS, STYLES, VOICES, type Platform, type VideoSettings } from '@/lib/options';

/** Title, voice, platform, style and language inputs, each with its label. */
export function SettingsFields({ id, value, onChange }: { id: string; value: VideoSettings; onChange: (next: VideoSettings) => void }) {
  const set = <K extends keyof VideoSettings>(key: K) => (event: { target: { value: string } }) => onChange({ ...value, [key]: event.target.value as VideoSettings[K] });
  return (
    <div className="field-grid">
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input id={`${id}-title`} name="title" value={value.title} onChange={set('title')} maxLength={200} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-voice`}>Voice</label>
        <select id={`${id}-voice`} name="voice" value={value.voice} onChange={set('voice')}>
          {VOICES.map((v) => (
            <option key={v.value} value={v.value}>
              {v.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-platform`}>Platform</label>
        <select id={`${id}-platform`} name="platform" value={value.platform} onChange={set('platform')}>
          {PLATFORMS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-style`}>Style</label>
        <select id={`${id}-style`} name="style" value={value.style} onChange={set('style')}>
          {STYLES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-language`}>Language</label>
        <input id={`${id}-language`} name="language" value={value.language} onChange={set('language')} placeholder="en-US" autoComplete="off" />
      </div>
    </div>
  );
}

/** A template's settings as form values. */
export const settingsOf = (t: JobTemplate): VideoSettings => ({
  title: t.title ?? '',
  voice: t.voice ?? '',
  platform: (t.platform as Platform | undefined) ?? DEFAULT_SETTINGS.platform,
  style: t.style ?? '',
  language: t.language ?? DEFAULT_SETTINGS.language,
});

/** Form values as a template, leaving out what is not set. */
export const templateOf = (name: string, s: VideoSettings): JobTemplateInput => ({
  name: name.trim(),
  title: s.title.trim() || undefined,
  voice: s.voice || undefined,
  platform: s.platform,
  style: s.style || undefined,
  language: s.language.trim() || undefined,
});

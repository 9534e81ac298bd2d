'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { VideoJobStatus, formatFileSize, formatTimeLeft, useVideoJob } from '@scriptsensei/react';
import { DEFAULT_SETTINGS, toRequest, type VideoSettings } from '@/lib/options';
import { useTemplates } from '@/lib/use-templates';
import { SettingsFields, settingsOf, templateOf } from './settings-fields';
import { useToast } from './toast';

/** How long the finished video stays on this page before moving to its own page. */
const REDIRECT_AFTER_MS = 2000;

/**
 * The original's "Create Video" page: script and settings, templates, a live status while the
 * video renders, a toast when it ends, and the finished video's page two seconds after success.
 * `jobId` (from the URL) resumes watching a job after a reload.
 */
export function NewVideo({ scriptId, jobId }: { scriptId?: string; jobId?: string }) {
  const router = useRouter();
  const toast = useToast();
  const id = useId();
  const [script, setScript] = useState('');
  const [settings, setSettings] = useState<VideoSettings>(DEFAULT_SETTINGS);
  const [submitting, setSubmitting] = useState(false);
  const redirect = useRef<ReturnType<typeof setTimeout>>(undefined);

  const video = useVideoJob({
    jobId,
    onSuccess(result, job) {
      toast({
        kind: 'success',
        title: 'Your video is ready',
        description: `${job.request.title || 'Untitled'} · ${formatTimeLeft(result.durationSeconds)} · ${formatFileSize(result.sizeBytes)}`,
      });
      clearTimeout(redirect.current);
      redirect.current = setTimeout(() => router.push(`/dashboard/videos/${encodeURIComponent(job.id)}`), REDIRECT_AFTER_MS);
    },
    onError(error, job) {
      toast({ kind: 'error', title: job ? 'The video could not be made' : 'The video was not created', description: error.message });
    },
    onCancel() {
      toast({ kind: 'info', title: 'Video cancelled' });
    },
  });
  useEffect(() => () => clearTimeout(redirect.current), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    try {
      const job = await video.create(toRequest(script, settings), scriptId ? { metadata: { script_id: scriptId } } : undefined);
      if (job) {
        // Keep the job in the URL (without a server round trip) so a reload resumes watching it.
        const url = new URL(window.location.href);
        url.searchParams.set('jobId', job.id);
        window.history.replaceState(null, '', url);
      }
    } finally {
      setSubmitting(false);
    }
  }

  const busy = submitting || video.isActive;
  const refused = video.error && !video.job;
  return (
    <>
      <h1>New video</h1>
      {scriptId && <p className="muted">From script #{scriptId}</p>}

      <TemplatePicker settings={settings} onApply={setSettings} />

      <form className="card" aria-labelledby={`${id}-form`} onSubmit={submit}>
        <h2 id={`${id}-form`}>Script and settings</h2>
        <div className="field">
          <label htmlFor={`${id}-script`}>Script</label>
          <textarea
            id={`${id}-script`}
            name="script"
            required
            rows={10}
            value={script}
            onChange={(e) => setScript(e.target.value)}
            aria-describedby={`${id}-script-hint`}
          />
          <p id={`${id}-script-hint`} className="hint">
            Each paragraph (separated by a blank line) becomes a scene.
          </p>
        </div>
        <SettingsFields id={`${id}-settings`} value={settings} onChange={setSettings} />
        {refused && (
          <p role="alert" className="error-text">
            {video.error!.message}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {submitting ? 'Creating…' : 'Create Video'}
          </button>
        </div>
      </form>

      {video.jobId && (
        <section className="card" aria-labelledby={`${id}-status`}>
          <h2 id={`${id}-status`}>Progress</h2>
          <VideoJobStatus jobId={video.jobId} />
          {video.status === 'success' && <p className="muted">Opening the video page…</p>}
          {!video.isActive && video.status && video.status !== 'success' && (
            <button type="button" className="button" onClick={video.reset}>
              Start over
            </button>
          )}
        </section>
      )}
    </>
  );
}

/** Apply a saved template to the form, or save the form's settings as a new one. */
function TemplatePicker({ settings, onApply }: { settings: VideoSettings; onApply: (s: VideoSettings) => void }) {
  const id = useId();
  const toast = useToast();
  const { templates, error, create } = useTemplates();
  const [chosen, setChosen] = useState('');
  const [name, setName] = useState('');

  async function save() {
    if (!name.trim()) return;
    try {
      const template = await create(templateOf(name, settings));
      setChosen(template.id);
      setName('');
      toast({ kind: 'success', title: `Template “${template.name}” saved` });
    } catch (e) {
      toast({ kind: 'error', title: 'The template was not saved', description: (e as Error).message });
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Templates</h2>
      {error && <p className="error-text">Templates are unavailable: {error.message}</p>}
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-pick`}>Template</label>
          <select id={`${id}-pick`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="">Choose a template</option>
            {templates.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button"
          disabled={!chosen}
          onClick={() => {
            const template = templates.find((t) => t.id === chosen);
            if (template) onApply(settingsOf(template));
          }}
        >
          Apply template
        </button>
      </div>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>New template name</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoComplete="off" />
        </div>
        <button type="button" className="button" disabled={!name.trim()} onClick={save}>
          Save as template
        </button>
      </div>
    </section>
  );
}

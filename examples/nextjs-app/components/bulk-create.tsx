'use client';

import { useId, useState, type FormEvent } from 'react';
import type { VideoJobsBatchResult } from '@scriptsensei/client';
import { useVideoJobsClient } from '@scriptsensei/react';
import { DEFAULT_SETTINGS, splitScripts, toRequest, type VideoSettings } from '@/lib/options';
import { SettingsFields } from './settings-fields';
import { useToast } from './toast';

/** Several scripts, separated by a line with `---`, submitted as one batch. */
export function BulkCreate({ onCreated }: { onCreated: () => void }) {
  const id = useId();
  const client = useVideoJobsClient();
  const toast = useToast();
  const [text, setText] = useState('');
  const [settings, setSettings] = useState<VideoSettings>(DEFAULT_SETTINGS);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<VideoJobsBatchResult>();
  const scripts = splitScripts(text);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!scripts.length) return;
    setBusy(true);
    try {
      const answer = await client.submitBatch(scripts.map((script, i) => ({ request: toRequest(script, { ...settings, title: settings.title ? `${settings.title} ${i + 1}` : '' }) })));
      setOutcome(answer);
      toast({
        kind: answer.failed ? 'error' : 'success',
        title: `${answer.created} ${answer.created === 1 ? 'video' : 'videos'} queued`,
        description: answer.failed ? `${answer.failed} refused` : undefined,
      });
      if (answer.created) setText('');
      onCreated();
    } catch (e) {
      toast({ kind: 'error', title: 'The batch was not submitted', description: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Bulk create</h2>
      <form onSubmit={submit} aria-labelledby={`${id}-heading`}>
        <div className="field">
          <label htmlFor={`${id}-scripts`}>Scripts</label>
          <textarea id={`${id}-scripts`} rows={8} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-hint`} />
          <p id={`${id}-hint`} className="hint">
            Separate scripts with a line containing only <code>---</code>. Each becomes its own video (up to 100).
          </p>
        </div>
        <SettingsFields id={`${id}-settings`} value={settings} onChange={setSettings} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy || !scripts.length}>
            {scripts.length > 1 ? `Create ${scripts.length} videos` : 'Create video'}
          </button>
        </div>
        {outcome && outcome.failed > 0 && (
          <ul className="error-text" aria-label="Refused scripts">
            {outcome.results
              .filter((r) => r.error)
              .map((r) => (
                <li key={r.index}>
                  Script {r.index + 1}: {r.error!.message}
                </li>
              ))}
          </ul>
        )}
      </form>
    </section>
  );
}

'use client';

import { useId, useState, type FormEvent } from 'react';
import type { JobTemplate } from '@scriptsensei/client';
import { DEFAULT_SETTINGS, PLATFORMS, STYLES, VOICES, type VideoSettings } from '@/lib/options';
import { useTemplates } from '@/lib/use-templates';
import { SettingsFields, settingsOf, templateOf } from './settings-fields';
import { useToast } from './toast';

const labelOf = (list: { value: string; label: string }[], value: string | undefined) => list.find((o) => o.value === (value ?? ''))?.label ?? value ?? '—';

/** List, create, edit and delete saved templates. */
export function TemplatesManager() {
  const id = useId();
  const toast = useToast();
  const { templates, isLoading, error, create, update, remove } = useTemplates();
  const [editing, setEditing] = useState<JobTemplate>();
  const [name, setName] = useState('');
  const [settings, setSettings] = useState<VideoSettings>(DEFAULT_SETTINGS);
  const [busy, setBusy] = useState(false);

  function edit(template: JobTemplate | undefined) {
    setEditing(template);
    setName(template?.name ?? '');
    setSettings(template ? settingsOf(template) : DEFAULT_SETTINGS);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    try {
      const input = templateOf(name, settings);
      const saved = editing ? await update(editing.id, input) : await create(input);
      toast({ kind: 'success', title: `Template “${saved.name}” ${editing ? 'updated' : 'created'}` });
      edit(undefined);
    } catch (e) {
      toast({ kind: 'error', title: 'The template was not saved', description: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  async function del(template: JobTemplate) {
    try {
      await remove(template.id);
      if (editing?.id === template.id) edit(undefined);
      toast({ kind: 'info', title: `Template “${template.name}” deleted` });
    } catch (e) {
      toast({ kind: 'error', title: 'The template was not deleted', description: (e as Error).message });
    }
  }

  return (
    <>
      <section className="card" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>Saved templates</h2>
        {error && (
          <p role="alert" className="error-text">
            Could not load the templates: {error.message}
          </p>
        )}
        <div className="table-wrap">
          <table aria-busy={isLoading}>
            <caption className="visually-hidden">Saved templates</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Title</th>
                <th scope="col">Voice</th>
                <th scope="col">Platform</th>
                <th scope="col">Style</th>
                <th scope="col">Language</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {templates.map((t) => (
                <tr key={t.id} data-template-id={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{t.title ?? '—'}</td>
                  <td>{labelOf(VOICES, t.voice)}</td>
                  <td>{labelOf(PLATFORMS, t.platform)}</td>
                  <td>{labelOf(STYLES, t.style)}</td>
                  <td>{t.language ?? '—'}</td>
                  <td>
                    <div className="row-actions">
                      <button type="button" className="button button--small" onClick={() => edit(t)} aria-label={`Edit ${t.name}`}>
                        Edit
                      </button>
                      <button type="button" className="button button--small button--danger" onClick={() => void del(t)} aria-label={`Delete ${t.name}`}>
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
              {!templates.length && !isLoading && (
                <tr>
                  <td colSpan={7} className="muted">
                    No templates yet.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      <form className="card" onSubmit={save} aria-labelledby={`${id}-form`}>
        <h2 id={`${id}-form`}>{editing ? `Edit “${editing.name}”` : 'New template'}</h2>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </div>
        <SettingsFields id={`${id}-settings`} value={settings} onChange={setSettings} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={busy || !name.trim()}>
            {editing ? 'Save changes' : 'Create template'}
          </button>
          {editing && (
            <button type="button" className="button" onClick={() => edit(undefined)}>
              Cancel editing
            </button>
          )}
        </div>
      </form>
    </>
  );
}

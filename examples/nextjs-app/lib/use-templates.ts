'use client';

import { useCallback, useEffect, useState } from 'react';
import type { JobTemplate, JobTemplateInput, VideoJobsError } from '@scriptsensei/client';
import { useVideoJobsClient } from '@scriptsensei/react';

/** As the server lists them: by name. */
const byName = (list: JobTemplate[]) => [...list].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));

export interface UseTemplatesResult {
  templates: JobTemplate[];
  isLoading: boolean;
  error: VideoJobsError | undefined;
  create(input: JobTemplateInput): Promise<JobTemplate>;
  update(id: string, input: JobTemplateInput): Promise<JobTemplate>;
  remove(id: string): Promise<void>;
  refresh(): Promise<void>;
}

/**
 * The user's saved templates with create/update/remove that keep the list current.
 * Templates are this app's feature, so the hook lives here, on top of `client.templates`.
 */
export function useTemplates(): UseTemplatesResult {
  const client = useVideoJobsClient();
  const [templates, setTemplates] = useState<JobTemplate[]>([]);
  const [isLoading, setLoading] = useState(true);
  const [error, setError] = useState<VideoJobsError>();

  const refresh = useCallback(async () => {
    setLoading(true);
    try {
      setTemplates(await client.templates.list());
      setError(undefined);
    } catch (e) {
      setError(e as VideoJobsError);
    } finally {
      setLoading(false);
    }
  }, [client]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const create = useCallback(
    async (input: JobTemplateInput) => {
      const created = await client.templates.create(input);
      setTemplates((all) => byName([...all, created]));
      return created;
    },
    [client],
  );
  const update = useCallback(
    async (id: string, input: JobTemplateInput) => {
      const updated = await client.templates.update(id, input);
      setTemplates((all) => byName(all.map((t) => (t.id === id ? updated : t))));
      return updated;
    },
    [client],
  );
  const remove = useCallback(
    async (id: string) => {
      await client.templates.remove(id);
      setTemplates((all) => all.filter((t) => t.id !== id));
    },
    [client],
  );

  return { templates, isLoading, error, create, update, remove, refresh };
}

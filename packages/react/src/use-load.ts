import { useCallback, useEffect, useRef, useState } from 'react';
import type { VideoJobsError } from '@scriptsensei/client';

export interface Loaded<T> {
  data: T | undefined;
  error: VideoJobsError | undefined;
  isLoading: boolean;
  /** Loads again; resolves when done. */
  refresh(): Promise<void>;
}

/**
 * Runs `load` after mount and whenever `key` changes (never during server rendering), keeping the
 * last data while reloading. Answers for an outdated key are dropped, so a fast filter change
 * cannot end up showing the previous filter's page.
 */
export function useLoad<T>(load: () => Promise<T>, key: string, refreshIntervalMs?: number): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: VideoJobsError; isLoading: boolean }>({ isLoading: true });
  const currentKey = useRef(key);
  currentKey.current = key;
  const loader = useRef(load);
  loader.current = load;
  const run = useCallback(async () => {
    const asked = currentKey.current;
    setState((s) => ({ ...s, isLoading: true }));
    try {
      const data = await loader.current();
      if (currentKey.current === asked) setState({ data, isLoading: false });
    } catch (error) {
      if (currentKey.current === asked) setState((s) => ({ ...s, error: error as VideoJobsError, isLoading: false }));
    }
  }, []);
  useEffect(() => {
    void run();
    if (!refreshIntervalMs) return;
    const timer = setInterval(() => void run(), refreshIntervalMs);
    return () => clearInterval(timer);
  }, [run, key, refreshIntervalMs]);
  return { data: state.data, error: state.error, isLoading: state.isLoading, refresh: run };
}

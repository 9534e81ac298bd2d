'use client';

import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

export type ToastKind = 'success' | 'error' | 'info';

interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  description?: string;
}

type Notify = (toast: Omit<Toast, 'id'>) => void;

const ToastContext = createContext<Notify>(() => {});

/** Shows a short notice in the page's live region. */
export const useToast = () => useContext(ToastContext);

const LIFETIME_MS = 8000;

/**
 * A small accessible toaster: one polite live region (`role="status"`) that exists from the first
 * render, so screen readers announce what is added to it; each notice can be dismissed and
 * disappears by itself after a few seconds.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);

  const notify = useCallback<Notify>(
    (toast) => {
      const id = ++next.current;
      setToasts((all) => [...all.slice(-4), { ...toast, id }]);
      timers.current.set(id, setTimeout(() => dismiss(id), LIFETIME_MS));
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return (
    <ToastContext.Provider value={notify}>
      {children}
      <aside className="toasts" aria-label="Notifications">
        <div role="status" aria-live="polite">
          {toasts.map((t) => (
            <div key={t.id} className={`toast toast--${t.kind}`} data-kind={t.kind}>
              <div className="toast__text">
                <p className="toast__title">{t.title}</p>
                {t.description && <p className="toast__description">{t.description}</p>}
              </div>
              <button type="button" className="toast__close" onClick={() => dismiss(t.id)} aria-label={`Dismiss: ${t.title}`}>
                ×
              </button>
            </div>
          ))}
        </div>
      </aside>
    </ToastContext.Provider>
  );
}

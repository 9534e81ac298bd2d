'use client';

import { useEffect } from 'react';

/** Shown in place of a page that threw while rendering; the navigation stays usable. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className="card" role="alert" aria-labelledby="error-heading">
      <h1 id="error-heading">Something went wrong</h1>
      <p>{error.message || 'The page could not be shown.'}</p>
      {error.digest && <p className="muted">Reference: {error.digest}</p>}
      <button type="button" className="button button--primary" onClick={reset}>
        Try again
      </button>
    </section>
  );
}

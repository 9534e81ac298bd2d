'use client';

/** Replaces the whole document when the root layout itself fails, so it brings its own html and body. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem', color: '#111827', background: '#ffffff' }}>
        <main>
          <h1>ScriptSensei is unavailable</h1>
          <p>{error.message || 'Something went wrong while loading the app.'}</p>
          {error.digest && <p>Reference: {error.digest}</p>}
          <button type="button" onClick={reset}>
            Try again
          </button>
        </main>
      </body>
    </html>
  );
}

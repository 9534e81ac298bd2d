import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { readPublicConfig } from '@/lib/config';
import { MainNav } from '@/components/main-nav';
import { Providers } from './providers';
import './globals.css';

// Rendered per request so NEXT_PUBLIC_VIDEO_SERVICE_URL and NEXT_PUBLIC_JOB_POLL_INTERVAL are
// read when the server starts answering, not when the app was built.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'ScriptSensei', template: '%s · ScriptSensei' },
  description: 'Turn a written script into a narrated video.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const config = readPublicConfig();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <p className="brand">ScriptSensei</p>
          <MainNav />
        </header>
        <Providers config={config}>
          <main id="main" className="content">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}

import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tools/tsup-base';

// Browser code: no Node shims. The banner keeps the hooks client-only in React Server Component
// frameworks (Next.js App Router); esbuild drops a directive written in the source when bundling.
export default defineConfig({
  ...libraryBuild,
  entry: { index: 'src/index.ts', compat: 'src/compat/index.ts' },
  shims: false,
  target: 'es2022',
  platform: 'neutral',
  banner: { js: "'use client';" },
  external: ['react', 'react/jsx-runtime', '@scriptsensei/client'],
});

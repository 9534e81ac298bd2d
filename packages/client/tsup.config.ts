import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tools/tsup-base';

// Browser-safe: no Node shims, and the core's types are inlined into the declarations, so the
// client installs without the core (and its ffmpeg binaries).
export default defineConfig({
  ...libraryBuild,
  entry: { index: 'src/index.ts' },
  shims: false,
  target: 'es2022',
  platform: 'neutral',
  dts: {
    resolve: [/^@scriptsensei\/core/],
    // From the core's sources: its built declarations import chunks by relative path.
    compilerOptions: { paths: { '@scriptsensei/core': ['../core/src/index.ts'] } },
  },
});

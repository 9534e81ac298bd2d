import type { Options } from 'tsup';

/** Build settings every library package shares: ESM + CJS + declarations for Node 20. */
export const libraryBuild: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // import.meta.url in the CJS build (used to resolve packaged binaries, fonts and modules).
  shims: true,
  target: 'node20',
};

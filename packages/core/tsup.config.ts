import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tools/tsup-base';

export default defineConfig({
  ...libraryBuild,
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  external: ['vitest'],
  // ESM-only dependencies are bundled so the CJS build can load them.
  noExternal: ['p-map'],
});

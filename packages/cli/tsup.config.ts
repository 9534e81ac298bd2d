import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tools/tsup-base';

// The two builds run at once, so neither cleans dist (one would delete the other's files): the
// package's build script empties it first.
export default defineConfig([
  // The `scriptsensei` command: ESM only, with the shebang.
  { entry: { bin: 'src/bin.ts' }, format: ['esm'], clean: false, sourcemap: true, target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  // `runCli` for programs that embed the CLI, ESM + CJS with types like the other packages.
  { ...libraryBuild, entry: { index: 'src/index.ts' }, clean: false },
]);

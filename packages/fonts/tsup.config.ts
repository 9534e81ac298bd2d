import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tools/tsup-base';

export default defineConfig({
  ...libraryBuild,
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
});

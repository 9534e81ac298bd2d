import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'tts/espeak': 'src/tts/espeak/index.ts',
    'images/slides': 'src/images/slides/index.ts',
    'storage/local': 'src/storage/local/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'node20',
});

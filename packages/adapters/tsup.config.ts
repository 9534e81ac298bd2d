import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tools/tsup-base';

export default defineConfig({
  ...libraryBuild,
  entry: {
    index: 'src/index.ts',
    'tts/espeak': 'src/tts/espeak/index.ts',
    'images/slides': 'src/images/slides/index.ts',
    'storage/local': 'src/storage/local/index.ts',
    http: 'src/http/index.ts',
    express: 'src/http/express-router.ts',
    bullmq: 'src/bullmq/index.ts',
    'bull-board': 'src/bull-board/index.ts',
    metrics: 'src/metrics/index.ts',
  },
});

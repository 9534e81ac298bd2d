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
    'tts/azure': 'src/tts/azure/index.ts',
    'tts/google': 'src/tts/google/index.ts',
    'tts/openai': 'src/tts/openai/index.ts',
    'tts/elevenlabs': 'src/tts/elevenlabs/index.ts',
    'images/openai': 'src/images/openai/index.ts',
    'images/stability': 'src/images/stability/index.ts',
    'images/pexels': 'src/images/pexels/index.ts',
    'storage/s3': 'src/storage/s3/index.ts',
    'storage/gcs': 'src/storage/gcs/index.ts',
    providers: 'src/providers/index.ts',
    vendor: 'src/vendor/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
});

import { createPipeline } from '../src/index.js';
import { createEspeakTTS, createSlides, createLocalStorage } from '../../adapters/src/index.js';
const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: '/tmp/ss-store' }) });
const t = Date.now();
const r = await pipeline.run({ script: process.argv[2] ?? 'Hello world. This is ScriptSensei.\n\nA second paragraph: with a colon, quotes \'"; and 100% {braces} [brackets].', title: 'Smoke test' }, { onProgress: (p) => console.log(p.progress, p.stage, p.message) });
console.log(Date.now() - t, JSON.stringify(r, null, 1));

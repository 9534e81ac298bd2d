// One full render with the embedded defaults in a fresh process, so peak RSS belongs to it alone.
// Prints one JSON line. Usage: node bench/render-once.mjs <seconds> <outDir> [request options as JSON]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createPipeline } from '@scriptsensei/core';
import { createEspeakTTS, createLocalStorage, createSlides } from '@scriptsensei/adapters';
import { scriptOfSeconds } from './script-text.mjs';

const [seconds = '60', outDir = 'out/bench', options = '{}'] = process.argv.slice(2);
const pipeline = createPipeline({ tts: createEspeakTTS(), images: createSlides(), storage: createLocalStorage({ directory: outDir }) });
const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();
const started = performance.now();
const result = await pipeline.run({ script: scriptOfSeconds(Number(seconds)), title: `Benchmark ${seconds}s`, outputKey: `render-${seconds}s.mp4`, ...JSON.parse(options) });
const wallMs = performance.now() - started;
lag.disable();
console.log(
  JSON.stringify({
    targetSeconds: Number(seconds),
    durationSeconds: result.durationSeconds,
    scenes: result.scenes.length,
    wallMs: Math.round(wallMs),
    realtimeFactor: result.durationSeconds / (wallMs / 1000),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    eventLoopMaxMs: lag.max / 1e6,
    eventLoopP99Ms: lag.percentile(99) / 1e6,
    timings: result.timings,
  }),
);

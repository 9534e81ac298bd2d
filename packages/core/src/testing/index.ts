/**
 * Contract test suites for adapters, one per seam. Each takes a factory and capability flags;
 * an adapter's test file calls the suite for its seam. Also what tests of a job engine, a worker
 * or a server need without rendering: a fake pipeline, latches and `until`. Requires vitest (an
 * optional peer).
 */
export { runTTSProviderContract, type TTSContractOptions } from './tts-contract.js';
export { runImageProviderContract, type ImageContractOptions } from './image-contract.js';
export { runStorageProviderContract, UNSAFE_KEYS, type StorageContractOptions } from './storage-contract.js';
export { HOSTILE_TEXTS } from './hostile-text.js';
export { probeMedia, meanVolumeDb, decodeErrors, pngSize, sniffImageFormat, measureLoudness, bandLevelDb, type ProbeReport } from './media-checks.js';
export { runJobStoreContract, sampleJob, type JobStoreContractOptions } from './job-store-contract.js';
export { runJobQueueContract, type JobQueueContractOptions } from './job-queue-contract.js';
export { runJobEventsContract, type JobEventsContractOptions } from './job-events-contract.js';
export { runTemplateStoreContract, type TemplateStoreContractOptions } from './template-store-contract.js';
export { until, wait, latch, type Latch } from './wait.js';
export { createFakePipeline, type FakePipeline, type FakeRun, type FakeRunPlan } from './fake-pipeline.js';
export { parseSubtitles, speechOnsets, grayFrame, pictureDifference, type ParsedCue } from './caption-checks.js';

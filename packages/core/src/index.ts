export * from './errors.js';
export {
  PIPELINE_DEFAULTS,
  REQUEST_DEFAULTS,
  JOB_ENGINE_DEFAULTS,
  TEMPLATE_DEFAULTS,
  CAPTION_DEFAULTS,
  MOTION_DEFAULTS,
  MUSIC_DEFAULTS,
  LOUDNESS_DEFAULTS,
  PREVIEW_DEFAULTS,
  type PipelineTuning,
  type JobEngineTuning,
} from './defaults.js';
export { PLATFORM_PRESETS, PLATFORMS, VIDEO_FPS, type Platform } from './platforms.js';
export { planFrames, type ScenePlan } from './media/frame-plan.js';
export {
  resolveRenderRequest,
  RENDER_QUALITIES,
  CAPTION_POSITIONS,
  KEN_BURNS_DIRECTIONS,
  TRANSITIONS,
  type RenderRequest,
  type ResolvedRenderRequest,
  type RenderQuality,
  type CaptionOptions,
  type CaptionStyle,
  type MotionOptions,
  type KenBurnsOptions,
  type MusicOptions,
} from './request.js';
export { assertSafeKey } from './storage-key.js';
export { splitScenes, type Scene, type SplitOptions } from './script/split-scenes.js';
export type { TTSProvider, TTSRequest, TTSResult, VoiceInfo, WordTiming } from './specs/tts-provider.js';
export type { ImageProvider, ImageRequest, ImageResult, ImageFormat, ClipFormat, ClipResult, StillResult } from './specs/image-provider.js';
export type { StorageProvider, StoredObjectInfo, PutOptions, ByteRange } from './specs/storage-provider.js';
export { resolveBinaries, findOnPath, type BinaryOptions, type ResolvedBinaries } from './media/binaries.js';
export { wavDurationSeconds, probeDurationSeconds } from './media/audio-duration.js';
export { wavLayout, type WavLayout } from './media/wav-header.js';
export {
  composeVideo,
  createComposer,
  stillEncoderOptions,
  type Composer,
  type ComposeScene,
  type ComposeOptions,
  type ComposeResult,
  type ComposedChunk,
  type AudioPart,
  type BurnInCaptions,
} from './media/compose.js';
export { createHlsLive, type HlsLive, type HlsLiveOptions, type HlsChunk } from './media/hls-live.js';
export type { KenBurnsMove } from './media/scene-filters.js';
export {
  captionWords,
  phrases,
  joinWords,
  wrapWords,
  displayWidth,
  cueOf,
  cuesFromWords,
  shiftCues,
  estimateWordTimings,
  type Cue,
  type CueShape,
} from './captions/cues.js';
export { toSrt, toVtt } from './captions/subtitle-files.js';
export { assScript, captionEvents, type CaptionLook, type CaptionEvent, type FontRunner } from './captions/ass-script.js';
export { speechSpan, type SpeechSpan } from './media/speech-span.js';
export { STAGE_RANGES, type Stage, type ProgressEvent } from './pipeline/progress.js';
export {
  createPipeline,
  type Pipeline,
  type PipelineOptions,
  type RunOptions,
  type RenderResult,
  type SceneResult,
  type StoredFile,
  type CaptionFiles,
  type LiveStream,
} from './pipeline/create-pipeline.js';
export {
  JOB_STATUSES,
  TERMINAL_STATUSES,
  isTerminal,
  type JobStatus,
  type JobRecord,
  type JobError,
} from './jobs/job-record.js';
export type { JobStore, JobListQuery, JobPage, JobCondition, JobUpdateOptions, JobSummary } from './specs/job-store.js';
export type { JobQueue, AttemptHandler, QueueEntry, QueueStats, QueueWorker, WorkerInfo } from './specs/job-queue.js';
export type { JobEvents, JobEvent, JobEventType } from './specs/job-events.js';
export type { TemplateStore, JobTemplate, JobTemplateInput } from './specs/template-store.js';
export { createKeyvTemplateStore } from './templates/keyv-template-store.js';
export { checkTemplateInput, templateNameKey, templateRecord, byTemplateName, duplicateTemplateName, tooManyTemplates } from './templates/template-rules.js';
export { createKeyvJobStore, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type KeyvJobStoreOptions } from './jobs/stores/keyv-job-store.js';
export { emptyCounts } from './jobs/stores/job-index.js';
export { createInProcessQueue } from './jobs/queues/in-process-queue.js';
export { createInMemoryJobEvents } from './jobs/events/in-memory-events.js';
export { RETRY_DEFAULTS, retryDelayMs, type RetryPolicy } from './jobs/retry-policy.js';
export type { VideoJobs, VideoJobEvents, SubmitOptions, JobListener, HealthReport } from './jobs/video-jobs.js';
export { createVideoJobs, type VideoJobsOptions } from './jobs/create-video-jobs.js';
export { createJobProducer, type JobProducerOptions } from './jobs/job-producer.js';
export { createJobWorker, type JobWorker, type JobWorkerOptions, type JobWorkerEvents } from './jobs/job-worker.js';
export { EtaEstimator } from './jobs/eta.js';
export { sweepAbandonedWorkDirs } from './pipeline/work-dirs.js';
export { RENDER_NICENESS, DEPRIORITIZE_THREAD_SOURCE, deprioritize } from './media/render-priority.js';
export { ArtifactCache, type ArtifactCacheOptions, type CacheStats } from './cache/artifact-cache.js';

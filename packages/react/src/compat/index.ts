/**
 * `@scriptsensei/react/compat`: the original front end's `useAsyncJob`, so code written for the
 * original service runs unchanged. A separate entry point, so apps written for this SDK do not
 * ship it.
 */
export { useAsyncJob, type UseAsyncJobOptions, type AsyncJobCreateRequest, type AsyncJobResult } from './use-async-job.js';

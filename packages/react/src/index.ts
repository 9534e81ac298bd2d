/**
 * `@scriptsensei/react` will hold `useVideoJob` and friends once the job engine lands. Until
 * then it re-exports the progress vocabulary a front end renders, so UIs can already type it.
 */
export type { ProgressEvent, Stage } from '@scriptsensei/core';
export { STAGE_RANGES } from '@scriptsensei/core';

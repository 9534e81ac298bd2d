export { isRetryableStatus, vendorCall, vendorJson, vendorBytes, vendorDownload, vendorMessage, type VendorRequest } from './vendor-http.js';
export { VENDOR_HTTP_DEFAULTS, httpBase, optionOrEnv, requiredApiKey, trimBase, type VendorHttpOptions, type VendorOptions } from './vendor-options.js';
export { redact } from './secrets.js';
export { retryAfterMs, backoffMs } from './retry-after.js';
export { pcmWav, pcmSeconds } from './pcm-wav.js';
export { imageFormatOf, writeImage } from './image-bytes.js';
export { untilAborted } from './until-aborted.js';
export { sharedAnswer } from './shared-answer.js';
export { openAIRetryable } from './openai-errors.js';

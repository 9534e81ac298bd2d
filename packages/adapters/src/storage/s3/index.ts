export { createS3Storage, type S3Storage } from './s3-storage.js';
export type { S3StorageOptions, S3Credentials } from './s3-options.js';

import { ConfigurationError } from '@scriptsensei/core';

/** The AWS SDK modules S3 storage uses: optional peer dependencies, loaded on first use. */
export interface S3Sdk {
  client: typeof import('@aws-sdk/client-s3');
  storage: typeof import('@aws-sdk/lib-storage');
  presigner: typeof import('@aws-sdk/s3-request-presigner');
}

const S3_SDK_PACKAGES = ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner'] as const;

let loading: Promise<S3Sdk> | undefined;

/**
 * Imports the SDK once per process. Dynamic imports keep `@scriptsensei/adapters/storage/s3`
 * loadable without it; a missing package becomes a {@link ConfigurationError} naming all three.
 */
export function loadS3Sdk(): Promise<S3Sdk> {
  loading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage'), import('@aws-sdk/s3-request-presigner')]).then(
    ([client, storage, presigner]) => ({ client, storage, presigner }),
    (error: unknown) => {
      throw new ConfigurationError(`s3 storage needs the AWS SDK: npm install ${S3_SDK_PACKAGES.join(' ')}`, { cause: error });
    },
  );
  return loading;
}

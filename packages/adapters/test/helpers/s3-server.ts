import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of s3rver (CommonJS, untyped) the tests use. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

export interface S3TestServer {
  /** `http://127.0.0.1:<port>`, for path-style requests. */
  endpoint: string;
  bucket: string;
  /** s3rver's built-in key pair; it checks the key id, not (for SigV4) the signature. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Where s3rver keeps the objects. */
  directory: string;
  close(): Promise<void>;
}

/** Starts s3rver on a free port, in a fresh temporary directory, with `bucket` created. */
export async function startS3Server(bucket = 'scriptsensei-test'): Promise<S3TestServer> {
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    directory,
    async close() {
      // The SDK keeps connections alive; drop them so close() does not wait for their timeout.
      server.httpServer?.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

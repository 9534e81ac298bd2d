import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuthOptions } from './auth.js';

export interface VideoLinkOptions {
  /**
   * Key of the links' HMAC. Every API process of a deployment needs the same one.
   * @defaultValue derived from the auth settings (JWT secret, API keys), which every process
   * shares; with JWKS-only auth, random per process (then set it when running several)
   */
  secret?: string;
  /** How long a link plays at least (up to an hour more). @defaultValue 86400 (24 h, the default retention) */
  ttlSeconds?: number;
}

/**
 * Signed links to a job's files. With auth on, a `<video>` element, a `<track>`, a download link
 * or a player fetching HLS segments cannot send a bearer token, so the files' URLs (`video_url`,
 * `srt_url`, `vtt_url`, `thumbnail_url`, `hls_url`) carry `expires` and `signature` (HMAC-SHA256
 * of the job id and the expiry), and the job's file routes accept it instead of a token, until it
 * expires — as presigned object-store URLs do. One signature covers every file of the job (it
 * opens nothing else: the job's JSON still needs the token), so the live playlist hands its own
 * query to its segments, and links issued before sidecars existed still play.
 */
export function createVideoLinks(auth: AuthOptions | undefined, options: VideoLinkOptions = {}) {
  const secret =
    options.secret ??
    (auth?.jwt?.secret || auth?.apiKeys
      ? createHash('sha256').update(`scriptsensei video links\0${auth.jwt?.secret ?? ''}\0${JSON.stringify(auth.apiKeys ?? {})}`).digest('hex')
      : randomBytes(32).toString('hex'));
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const mac = (jobId: string, expires: string) => createHmac('sha256', secret).update(`${jobId}\n${expires}`).digest('base64url');
  return {
    /** The query string that opens `jobId`'s files without a token. */
    sign(jobId: string, now = Date.now()): string {
      // Rounded up to the hour, so a job's URL stays the same between polls (a <video> whose
      // src changed would load again); a link plays for `ttlSeconds` to one hour more.
      const expires = String(Math.ceil((now / 1000 + ttlSeconds) / 3600) * 3600);
      return `?expires=${expires}&signature=${mac(jobId, expires)}`;
    },
    /** Whether `query` holds a valid, unexpired signature for `jobId`. */
    verify(jobId: string, query: { expires?: string; signature?: string }, now = Date.now()): boolean {
      const { expires, signature } = query;
      if (!expires || !signature || !/^\d+$/.test(expires) || Number(expires) * 1000 < now) return false;
      const expected = Buffer.from(mac(jobId, expires));
      const given = Buffer.from(signature);
      return expected.length === given.length && timingSafeEqual(expected, given);
    },
  };
}

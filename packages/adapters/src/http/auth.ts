import { timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { HttpError } from './http-errors.js';

export interface AuthOptions {
  /** Static API keys: token → user id (e.g. parsed from `API_KEYS=key1:user1,key2:user2`). */
  apiKeys?: Record<string, string>;
  /** JWT bearer tokens, verified with a shared secret (HS256) or a JWKS URL. */
  jwt?: {
    secret?: string;
    jwksUrl?: string;
    issuer?: string;
    audience?: string;
    /** Claim holding the user id. @defaultValue 'sub' */
    userClaim?: string;
  };
}

/** Parses `key1:user1,key2:user2` (the `API_KEYS` variable). */
export function parseApiKeys(value: string | undefined): Record<string, string> | undefined {
  if (!value?.trim()) return undefined;
  const keys: Record<string, string> = {};
  for (const pair of value.split(',')) {
    const at = pair.indexOf(':');
    if (at <= 0 || at === pair.length - 1) throw new Error(`API_KEYS entries look like key:user, got "${pair}"`);
    keys[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return keys;
}

/**
 * Resolves the user of a request from `Authorization: Bearer <token>`. Returns `undefined`
 * when auth is off; throws a 401 `HttpError` when it is on and the token is missing or bad.
 */
export function createAuthenticator(options: AuthOptions = {}): ((authorization: string | undefined) => Promise<string | undefined>) & { enabled: boolean } {
  const apiKeys = Object.entries(options.apiKeys ?? {}).map(([token, user]) => [Buffer.from(token), user] as const);
  const jwt = options.jwt;
  let key: Uint8Array | JWTVerifyGetKey | undefined;
  if (jwt?.secret) key = new TextEncoder().encode(jwt.secret);
  else if (jwt?.jwksUrl) key = createRemoteJWKSet(new URL(jwt.jwksUrl));
  const enabled = apiKeys.length > 0 || key !== undefined;

  const unauthorized = (message: string) => new HttpError(401, 'UNAUTHORIZED', message, [], { 'WWW-Authenticate': 'Bearer' });

  const authenticate = async (authorization: string | undefined) => {
    if (!enabled) return undefined;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw unauthorized('Send Authorization: Bearer <token>');
    const token = match[1]!;
    const presented = Buffer.from(token);
    for (const [candidate, user] of apiKeys) {
      if (candidate.length === presented.length && timingSafeEqual(candidate, presented)) return user;
    }
    if (key) {
      try {
        const verifyOptions = { issuer: jwt?.issuer, audience: jwt?.audience };
        const { payload } = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions);
        const user = payload[jwt?.userClaim ?? 'sub'];
        if (typeof user === 'string' && user) return user;
        throw unauthorized(`The token has no "${jwt?.userClaim ?? 'sub'}" claim`);
      } catch (error) {
        if (error instanceof HttpError) throw error;
        throw unauthorized('Invalid or expired token');
      }
    }
    throw unauthorized('Unknown API key');
  };
  return Object.assign(authenticate, { enabled });
}

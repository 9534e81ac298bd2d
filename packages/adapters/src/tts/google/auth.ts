import { readFileSync } from 'node:fs';
import { CancelledError, ConfigurationError, ProviderError } from '@scriptsensei/core';
import { VENDOR_HTTP_DEFAULTS, isRetryableStatus, redact, untilAborted, type VendorHttpOptions } from '../../vendor/index.js';
import { PROVIDER } from './provider-id.js';

/** How calls are authorized: the headers to send, and the secret in them (redacted from errors). */
export interface GoogleAuthorization {
  authorize(signal?: AbortSignal): Promise<{ headers: Record<string, string>; secret: string }>;
}

/** The fields of a service-account key file used here. */
interface ServiceAccountKey {
  type: 'service_account';
  client_email: string;
  private_key: string;
  private_key_id?: string;
  token_uri?: string;
}

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
/** Where google-auth-library posts every JWT-bearer grant, whatever the key file says. */
const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

/** An API key, sent as `X-Goog-Api-Key` (never in the URL, where logs and proxies keep it). */
export function apiKeyAuthorization(apiKey: string): GoogleAuthorization {
  const answer = { headers: { 'x-goog-api-key': apiKey }, secret: apiKey };
  return { authorize: async () => answer };
}

/**
 * A service account's bearer token, from google-auth-library (an optional peer, imported on first
 * use), which signs the JWT-bearer grant and keeps the token until it nears expiry. The key file
 * is read now, so a missing or wrong one fails at creation.
 */
export function serviceAccountAuthorization(path: string, from: string, http: VendorHttpOptions): GoogleAuthorization {
  const key = readServiceAccount(path, from);
  const doFetch = http.fetch ?? globalThis.fetch;
  let client: Promise<{ getAccessToken(): Promise<{ token?: string | null }> }> | undefined;
  const getClient = () =>
    (client ??= import('google-auth-library').then(
      ({ JWT }) =>
        new JWT({
          email: key.client_email,
          key: key.private_key,
          keyId: key.private_key_id,
          scopes: [SCOPE],
          transporterOptions: {
            timeout: http.timeoutMs ?? VENDOR_HTTP_DEFAULTS.timeoutMs,
            // The library ignores the key file's token_uri: honour it (Google's own is this URL).
            fetchImplementation: (input, init) => doFetch(key.token_uri && String(input) === GOOGLE_TOKEN_URL ? key.token_uri : input, init),
          },
        }),
      (error: unknown) => {
        client = undefined;
        throw new ConfigurationError(`${PROVIDER} needs google-auth-library to use a service account: npm install google-auth-library (or use an API key)`, { cause: error });
      },
    ));

  return {
    async authorize(signal) {
      const token = await untilAborted(
        getClient().then((c) => c.getAccessToken()),
        signal,
      ).catch((error: unknown) => {
        throw CancelledError.is(error) || ConfigurationError.is(error) ? error : tokenError(error, key);
      });
      if (!token.token) throw new ProviderError(PROVIDER, 'the token endpoint answered without an access token');
      return { headers: { authorization: `Bearer ${token.token}` }, secret: token.token };
    },
  };
}

function readServiceAccount(path: string, from: string): ServiceAccountKey {
  let parsed: Partial<ServiceAccountKey>;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServiceAccountKey>;
  } catch (error) {
    throw new ConfigurationError(`${PROVIDER}: cannot read the service-account key ${path} (from ${from}): ${(error as Error).message}`, { cause: error });
  }
  if (parsed?.type !== 'service_account' || typeof parsed.client_email !== 'string' || typeof parsed.private_key !== 'string') {
    throw new ConfigurationError(`${PROVIDER}: ${path} (from ${from}) is not a service-account key file (type "service_account" with client_email and private_key)`);
  }
  return parsed as ServiceAccountKey;
}

/**
 * A token failure: retryable unless the endpoint refused the grant (bad key, disabled account).
 * The library's error is not kept as the cause: its request config holds the signed assertion.
 */
function tokenError(error: unknown, key: ServiceAccountKey): ProviderError {
  const status = (error as { response?: { status?: unknown } }).response?.status;
  const code = typeof status === 'number' ? status : undefined;
  const message = redact(`service-account token request failed: ${error instanceof Error ? error.message : String(error)}`, [key.private_key]);
  return new ProviderError(PROVIDER, message, { status: code, retryable: code === undefined || isRetryableStatus(code) });
}

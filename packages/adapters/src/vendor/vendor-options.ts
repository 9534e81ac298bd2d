import { ConfigurationError } from '@scriptsensei/core';

/** How every cloud provider talks HTTP: timeouts, retries, and the `fetch` it uses. */
export interface VendorHttpOptions {
  /**
   * Longest one attempt may take, headers and body, before it is abandoned and retried.
   * @defaultValue 60000
   */
  timeoutMs?: number;
  /**
   * Further attempts after a 408, 429, 5xx, timeout or network failure.
   * @defaultValue 3
   */
  maxRetries?: number;
  /**
   * First backoff delay; it doubles each retry (with jitter), unless the vendor sends `Retry-After`.
   * @defaultValue 500
   */
  retryBaseMs?: number;
  /**
   * The longest wait honoured between attempts, `Retry-After` included: a vendor asking for
   * longer fails the attempt (retryable) and leaves the retry to the job engine.
   * @defaultValue 30000
   */
  maxRetryDelayMs?: number;
  /** The `fetch` to call (tests, proxies, instrumentation). @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

/** The values {@link VendorHttpOptions} falls back to. */
export const VENDOR_HTTP_DEFAULTS = {
  timeoutMs: 60_000,
  maxRetries: 3,
  retryBaseMs: 500,
  maxRetryDelayMs: 30_000,
} as const satisfies Required<Omit<VendorHttpOptions, 'fetch'>>;

/** Settings shared by every cloud provider: a key, where to send requests, and how. */
export interface VendorOptions extends VendorHttpOptions {
  /** The vendor's API key; each provider documents the environment variable it reads otherwise. */
  apiKey?: string;
  /** Base URL of the vendor's API (a proxy, a regional endpoint, or a local test server). */
  baseUrl?: string;
}

/** The first non-empty value: an option, else an environment variable. */
export function optionOrEnv(option: string | undefined, env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  if (option) return option;
  for (const name of names) {
    const value = env[name];
    if (value) return value;
  }
  return undefined;
}

/** `base` without trailing slashes, so paths can be appended with one. */
export function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}

/** The vendor's API key: the option, else `variable`; a `ConfigurationError` naming both when neither is set. */
export function requiredApiKey(provider: string, option: string | undefined, env: NodeJS.ProcessEnv, variable: string): string {
  const key = optionOrEnv(option, env, variable);
  if (!key) throw new ConfigurationError(`${provider} needs an API key: pass \`apiKey\` or set ${variable}`);
  return key;
}

/** `url` without trailing slashes, after checking it is an http(s) URL; `name` is the setting it came from. */
export function httpBase(provider: string, name: string, url: string): string;
export function httpBase(provider: string, name: string, url: string | undefined): string | undefined;
export function httpBase(provider: string, name: string, url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  if (!/^https?:\/\/[^/]/.test(url)) throw new ConfigurationError(`${provider} ${name} must be an http(s) URL, got "${url}"`);
  return trimBase(url);
}

import { ProviderError, ScriptSenseiError, toCancelled } from '../errors.js';

/**
 * Calls a provider and makes whatever it throws typed: our own errors pass through, an abort
 * becomes a `CancelledError`, anything else a retryable `ProviderError` naming the provider.
 */
export async function callProvider<T>(provider: string, signal: AbortSignal, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal.aborted) throw toCancelled(signal.reason);
    if (ScriptSenseiError.is(error)) throw error;
    throw new ProviderError(provider, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

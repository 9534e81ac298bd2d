/**
 * Resolves after `ms` milliseconds. For simulating work that takes time; a test that waits for
 * something to happen should wait on a {@link latch}, an event or {@link until} instead.
 */
export const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `predicate` holds, checking it every `intervalMs`; rejects after `timeoutMs`.
 * `message` names the condition in the error.
 */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, intervalMs = 5, message = 'condition not met in time'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(message);
    await wait(intervalMs);
  }
}

/** A promise a test resolves itself: see {@link latch}. */
export interface Latch {
  /** Resolves once `release` is called. */
  readonly promise: Promise<void>;
  /** Resolves `promise`; later calls do nothing. */
  release(): void;
  /** Whether `release` was called. */
  readonly released: boolean;
}

/**
 * A promise the test resolves when it chooses: hand `promise` to whatever must wait (a fake
 * provider's run, a queue handler) and call `release()` to let it go on. Keeping a worker busy
 * on a latch, instead of on a run that takes "long enough", makes what happens meanwhile certain.
 */
export function latch(): Latch {
  let resolve!: () => void;
  let released = false;
  const promise = new Promise<void>((r) => (resolve = r));
  return {
    promise,
    release() {
      released = true;
      resolve();
    },
    get released() {
      return released;
    },
  };
}

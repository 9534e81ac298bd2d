import type { JobStatus } from './types.js';

/** States a job never leaves on its own (the core's `TERMINAL_STATUSES`, without its runtime). */
export const TERMINAL_STATUSES = ['success', 'failure', 'cancelled'] as const satisfies readonly JobStatus[];

export const isTerminal = (status: JobStatus): boolean => (TERMINAL_STATUSES as readonly string[]).includes(status);

export { runCli } from './run-cli.js';
export type { CliIO } from './io.js';
export { EXIT_CODES } from './exit-codes.js';

import { runCli } from './run-cli.js';
import { cancelOnSignals } from './signals.js';

const cancellation = cancelOnSignals((code) => process.exit(code));
const code = await runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: cancellation.signal,
});
// Exit explicitly: an idle stdin or a worker thread must not keep a finished command alive.
process.exit(cancellation.exitCode ?? code);

import { Command, CommanderError } from 'commander';
import packageJson from '../package.json';
import { EXIT_CODES } from './exit-codes.js';
import type { CliIO } from './io.js';
import { addQueueCommand } from './queue-command.js';
import { addRenderCommand } from './render-command.js';

/**
 * Runs the `scriptsensei` command line (`argv` without the node and script paths) and returns
 * its exit code. It never exits the process, so tests and embedders can call it in-process.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode: number = EXIT_CODES.ok;
  // A fresh program per call: commander keeps parsed state on the instance.
  const program = new Command('scriptsensei')
    .description('Turn a text script into a narrated MP4 video: offline speech (espeak-ng), slide cards and ffmpeg.')
    .version(packageJson.version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Commander would call process.exit; throwing lets us map its errors to our exit codes.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', '\nRun "scriptsensei render --help" or "scriptsensei queue --help" for the options, examples and exit codes.');
  // Added after the settings above, which subcommands inherit when created.
  addRenderCommand(program, io, (code) => (exitCode = code));
  addQueueCommand(program, io, (code) => (exitCode = code));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    // --help and --version end with code 0; every other commander error is a usage error.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    throw error;
  }
}

import { Presets, SingleBar } from 'cli-progress';
import { CancelledError, ScriptSenseiError, ValidationError, type ProgressEvent, type RenderResult } from '@scriptsensei/core';
import { dirname, join } from 'node:path';
import type { CliIO } from './io.js';

/** How a render command shows what happens: progress while it runs, then one outcome. */
export interface Reporter {
  progress(event: ProgressEvent): void;
  success(result: RenderResult, output: string, wallMs: number): void;
  failure(error: unknown): void;
}

/** `--json`: machine-readable lines on stdout; stderr stays quiet except for "Cancelled". */
export function jsonReporter(io: CliIO): Reporter {
  const line = (value: object) => io.stdout.write(`${JSON.stringify(value)}\n`);
  return {
    progress: ({ progress, stage, message }) => line({ type: 'progress', progress, stage, message }),
    success: (result, output) => line({ type: 'result', ...result, output }),
    failure(error) {
      line({ type: 'error', ...errorJson(error) });
      if (CancelledError.is(error)) io.stderr.write('Cancelled\n');
    },
  };
}

/**
 * Human output: progress on stderr (a live bar on a terminal, else one line per stage so logs
 * stay readable), the summary on stdout so it can be captured apart from the progress.
 */
export function humanReporter(io: CliIO): Reporter {
  const progress = io.stderr.isTTY ? progressBar(io) : stageLines(io);
  return {
    progress: progress.update,
    success(result, output, wallMs) {
      progress.stop();
      io.stdout.write(summary(result, output, wallMs));
    },
    failure(error) {
      progress.stop();
      io.stderr.write(errorText(error));
    },
  };
}

interface ProgressView {
  update(event: ProgressEvent): void;
  stop(): void;
}

function progressBar(io: CliIO): ProgressView {
  const bar = new SingleBar(
    {
      stream: io.stderr,
      format: '{bar} {percentage}% | {message}',
      barsize: 30,
      // cli-progress then trims lines to the terminal width itself instead of switching the
      // terminal's line wrapping off, which a second Ctrl-C (immediate exit) would leave off.
      linewrap: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update({ progress, message }) {
      if (!started) bar.start(100, 0, { message });
      started = true;
      bar.update(progress * 100, { message });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}

function stageLines(io: CliIO): ProgressView {
  let stage: string | undefined;
  return {
    update(event) {
      if (event.stage === stage) return;
      stage = event.stage;
      io.stderr.write(`[${percent(event.progress).padStart(4)}] ${event.message}\n`);
    },
    stop() {},
  };
}

function summary(result: RenderResult, output: string, wallMs: number): string {
  const scenes = `${result.scenes.length} scene${result.scenes.length === 1 ? '' : 's'}`;
  return (
    `Video written to ${output}\n` +
    `  ${result.durationSeconds.toFixed(1)} s, ${result.width}x${result.height} @ ${result.fps} fps (${result.platform}), ` +
    `${scenes}, ${megabytes(result.sizeBytes)}, rendered in ${(wallMs / 1000).toFixed(1)} s\n` +
    (result.loudness ? `  loudness ${result.loudness.integratedLufs.toFixed(1)} LUFS, true peak ${result.loudness.truePeakDb.toFixed(1)} dBTP\n` : '') +
    (result.captions ? `  captions: ${beside(output, result.captions.srt.key)} and ${beside(output, result.captions.vtt.key)} (${result.captions.cues} cues)\n` : '') +
    (result.thumbnail ? `  poster: ${beside(output, result.thumbnail.key)}\n` : '')
  );
}

/** A file stored beside the output (the CLI's storage root is the output's folder). */
function beside(output: string, key: string): string {
  return join(dirname(output), key);
}

function errorText(error: unknown): string {
  if (CancelledError.is(error)) return 'Cancelled\n';
  if (ValidationError.is(error)) {
    return `scriptsensei: invalid input\n${error.issues.map((i) => `  - ${i.field}: ${i.message}\n`).join('')}`;
  }
  if (ScriptSenseiError.is(error)) return `scriptsensei: ${error.message}\n`;
  // Not one of our typed errors, so a bug: the stack is what a bug report needs.
  return `scriptsensei: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
}

/** The JSON form of an error: the typed error's own `toJSON` (code, message, retryable, issues). */
function errorJson(error: unknown): object {
  if (ScriptSenseiError.is(error)) return error.toJSON();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), retryable: false };
}

function percent(progress: number): string {
  return `${Math.round(progress * 100)}%`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

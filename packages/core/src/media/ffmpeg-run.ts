import ffmpeg from 'fluent-ffmpeg';
import { RenderError, toCancelled } from '../errors.js';
import { deprioritize } from './render-priority.js';

/** One ffmpeg invocation: inputs and outputs with their options, in order. */
export interface FfmpegJob {
  ffmpegPath: string;
  inputs: { path: string; options?: string[] }[];
  outputs: { path: string; options: string[] }[];
  /** Called with the output time ffmpeg reports, in seconds. */
  onTime?: (seconds: number) => void;
  signal?: AbortSignal;
  /** Called with every line ffmpeg writes to stderr (filters such as loudnorm report there). */
  onStderr?: (line: string) => void;
  /** Working directory of the process, so filter graphs can name files without escaping. */
  cwd?: string;
  /** A filter graph applied across inputs and outputs (`-filter_complex`). */
  filterComplex?: string;
}

const TIME = /time=\s*(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/;
/** How many trailing stderr lines a RenderError quotes. */
const STDERR_TAIL_LINES = 8;

/**
 * Runs ffmpeg through fluent-ffmpeg: the only module that touches it. Resolves when ffmpeg exits
 * 0; rejects with a {@link RenderError} quoting the end of stderr, or with a `CancelledError`
 * after killing the process (SIGKILL) when `signal` fires.
 */
export function runFfmpeg(job: FfmpegJob): Promise<void> {
  const { signal } = job;
  if (signal?.aborted) return Promise.reject(toCancelled(signal.reason));
  return new Promise<void>((resolve, reject) => {
    // stdoutLines/stderrLines bound what fluent-ffmpeg keeps for error reports (missing from its types).
    const command = ffmpeg({ stdoutLines: 0, stderrLines: 64, ...(job.cwd ? { cwd: job.cwd } : {}) } as ffmpeg.FfmpegCommandOptions).setFfmpegPath(job.ffmpegPath);
    for (const input of job.inputs) {
      command.input(input.path);
      if (input.options?.length) command.inputOptions(input.options);
    }
    // An empty map list: each output maps its own graph labels in its options.
    if (job.filterComplex) command.complexFilter(job.filterComplex, []);
    for (const output of job.outputs) command.output(output.path).outputOptions(output.options);

    const onAbort = () => command.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    // kill() is a no-op until fluent-ffmpeg has spawned the process (it first probes ffmpeg's
    // capabilities): an abort in that window is acted on as soon as the process exists.
    command.on('start', () => {
      // fluent-ffmpeg keeps the child on the command (not in its types).
      deprioritize((command as unknown as { ffmpegProc?: { pid?: number } }).ffmpegProc?.pid);
      if (signal?.aborted) onAbort();
    });
    const settle = (error?: Error) => {
      signal?.removeEventListener('abort', onAbort);
      if (!error) resolve();
      else reject(error);
    };

    // Parsed from stderr rather than fluent-ffmpeg's 'progress' event, which would first run
    // ffprobe on the input only to compute a percentage we compute ourselves.
    if (job.onTime || job.onStderr) {
      const { onTime, onStderr } = job;
      command.on('stderr', (line: string) => {
        onStderr?.(line);
        const match = onTime && TIME.exec(line);
        if (match) onTime(Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]));
      });
    }
    command.on('end', () => settle());
    command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
      if (signal?.aborted) return settle(toCancelled(signal.reason));
      const tail = (stderr ?? '').trim().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
      settle(new RenderError(`ffmpeg failed: ${error.message}${tail ? `\n${tail}` : ''}`, { cause: error }));
    });
    command.run();
  });
}

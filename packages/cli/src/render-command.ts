import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  KEN_BURNS_DIRECTIONS,
  PLATFORM_PRESETS,
  PLATFORMS,
  TRANSITIONS,
  REQUEST_DEFAULTS,
  ValidationError,
  createPipeline,
  toCancelled,
  type FieldIssue,
  type KenBurnsOptions,
  type MotionOptions,
  type Platform,
  type RenderRequest,
} from '@scriptsensei/core';
import { SLIDE_THEMES, type SlideThemeName } from '@scriptsensei/adapters';
import { IMAGE_PROVIDER_IDS, TTS_KEY_VARIABLES, TTS_PROVIDER_IDS, createProviders, providersConfigFromEnv } from '@scriptsensei/adapters/providers';
import { EXIT_CODES, exitCodeFor } from './exit-codes.js';
import type { CliIO } from './io.js';
import { STDIN, readScript } from './read-script.js';
import { humanReporter, jsonReporter } from './reporters.js';

/** The options of `render`, as commander parses them. */
interface RenderFlags {
  output: string;
  platform: string;
  voice?: string;
  voiceProvider?: string;
  images?: string;
  title?: string;
  language: string;
  theme: string;
  json?: boolean;
  captions?: boolean;
  wordHighlight?: boolean;
  kenBurns?: string | boolean;
  transition?: string;
  music?: string;
  musicVolume?: string;
  preview?: boolean;
}

const THEMES = Object.keys(SLIDE_THEMES) as SlideThemeName[];
const DEFAULT_THEME: SlideThemeName = 'midnight';

const EXAMPLES = `
Examples:
  $ scriptsensei render talk.txt -o out/talk.mp4
  $ scriptsensei render talk.txt -o talk-vertical.mp4 --platform tiktok --theme ocean
  $ echo "Hello there. This is a test." | scriptsensei render - -o hello.mp4 --title Hello
  $ scriptsensei render talk.txt -o talk.mp4 --json | jq -c 'select(.type != "progress")'
  $ scriptsensei render talk.txt -o talk.mp4 --captions --ken-burns --transition crossfade --music bed.mp3
  $ scriptsensei render talk.txt -o draft.mp4 --preview

With --captions, talk.srt and talk.vtt are written beside talk.mp4; a poster talk.jpg always is.

With --json, stdout carries one JSON object per line: {"type":"progress",...} events, then
either {"type":"result",...,"output":"/abs/path.mp4"} or {"type":"error","code":...,"message":...}.

Exit codes: 0 success, 1 render failed, 2 bad input or usage, 3 missing ffmpeg or espeak-ng,
130 cancelled (Ctrl-C; press it twice to quit without cleaning up), 143 terminated (SIGTERM).
`;

/** Adds `render` to the program; its action reports the command's exit code through `done`. */
export function addRenderCommand(program: Command, io: CliIO, done: (code: number) => void): void {
  const platforms = PLATFORMS.map((p) => `${p} (${PLATFORM_PRESETS[p].width}x${PLATFORM_PRESETS[p].height})`).join(', ');
  program
    .command('render')
    .description('Render a text script into a narrated MP4 video.')
    .argument('<file>', `script file (plain text; blank lines separate paragraphs), or "${STDIN}" to read stdin`)
    .requiredOption('-o, --output <path>', 'where to write the MP4; missing parent directories are created')
    .option('-p, --platform <name>', `video format: ${platforms}`, REQUEST_DEFAULTS.platform)
    .option('-t, --title <text>', 'title shown on every slide (default: the file name without extension)')
    .option('-l, --language <tag>', 'BCP-47 language of the script', REQUEST_DEFAULTS.language)
    .option('--voice <name>', 'voice of the TTS provider, e.g. espeak-ng en-us or en+f3 (default: chosen from --language)')
    .option('--voice-provider <id>', `TTS provider: ${TTS_PROVIDER_IDS.join(', ')} (cloud ones need their key in the environment; default: TTS_PROVIDER, else espeak)`)
    .option('--images <provider>', `scene pictures: ${IMAGE_PROVIDER_IDS.join(', ')} (default: IMAGE_PROVIDER, else slides)`)
    .option('--theme <name>', `slide colours: ${THEMES.join(', ')}`, DEFAULT_THEME)
    .option('--captions', 'burn in captions timed to the voice and write <out>.srt and <out>.vtt')
    .option('--word-highlight', 'highlight each word as it is spoken (default on for tiktok, shorts, reels)')
    .option('--no-word-highlight', 'never highlight words')
    .option('--ken-burns [direction]', `slow zoom or pan on each scene: ${KEN_BURNS_DIRECTIONS.join(', ')}`)
    .option('--transition <kind>', `between scenes: ${TRANSITIONS.join(', ')}`)
    .option('--music <file|url>', 'background music, looped, ducked under the voice, faded out at the end')
    .option('--music-volume <dB>', 'music level where nobody speaks, relative to the voice (-40 to 0)')
    .option('--preview', 'a fast 360p draft')
    .option('--json', 'print progress events and the result as JSON lines on stdout')
    .addHelpText('after', EXAMPLES)
    .action(async (file: string, flags: RenderFlags) => done(await render(file, flags, io)));
}

/** Runs one render and returns the exit code; every failure is reported, none is thrown. */
async function render(file: string, flags: RenderFlags, io: CliIO): Promise<number> {
  const reporter = flags.json ? jsonReporter(io) : humanReporter(io);
  const signal = io.signal ?? new AbortController().signal;
  const env = io.env ?? process.env;
  const started = performance.now();
  let musicCopy: string | undefined;
  /** Cloud voices whose key was found but which could not be set up, and why. */
  const leftOut: string[] = [];
  try {
    const { platform, theme } = checkChoices(flags);
    const script = await readScript(file, io.stdin, signal);
    const output = await prepareOutput(flags.output);
    const music = flags.music === undefined ? undefined : await musicSource(flags.music, dirname(output));
    musicCopy = music?.copy;
    const request: RenderRequest = {
      script,
      title: flags.title ?? (file === STDIN ? undefined : basename(file, extname(file))),
      language: flags.language,
      platform,
      voice: flags.voice,
      ...(flags.voiceProvider !== undefined ? { voiceProvider: flags.voiceProvider } : {}),
      // The storage root is the output's directory, so the key is a bare file name, which
      // the storage's key check accepts; the MP4 lands exactly at `output`.
      outputKey: basename(output),
      ...renderOptions(flags),
      ...(music ? { music: { source: music.source, ...(flags.musicVolume !== undefined ? { volumeDb: Number(flags.musicVolume) } : {}) } } : {}),
    };
    const pipeline = createPipeline({
      ...cliProviders(flags, theme, dirname(output), env, (warning) => leftOut.push(warning)),
      ffmpegPath: env.FFMPEG_PATH,
      ffprobePath: env.FFPROBE_PATH,
      tempDir: env.TMPDIR,
    });
    const result = await pipeline.run(request, { signal, onProgress: reporter.progress });
    reporter.success(result, output, performance.now() - started);
    return EXIT_CODES.ok;
  } catch (error) {
    // Once cancelled, whatever a killed child made the pipeline throw is just the cancellation.
    const failure = signal.aborted ? toCancelled(signal.reason) : ValidationError.is(error) ? new ValidationError(error.issues.map((issue) => asFlag(issue, flags.voiceProvider?.trim().toLowerCase(), leftOut))) : error;
    reporter.failure(failure);
    return exitCodeFor(failure);
  } finally {
    if (musicCopy) await rm(musicCopy, { force: true });
  }
}

/** Request fields the flags set, by the flag a user typed. */
const FLAGS: [RegExp, string][] = [
  [/^captions\.wordHighlight$/, '--word-highlight'],
  [/^captions/, '--captions'],
  [/^motion\.kenBurns/, '--ken-burns'],
  [/^motion\.transition/, '--transition'],
  [/^music\.volumeDb$/, '--music-volume'],
  [/^music/, '--music'],
  [/^quality$/, '--preview'],
  [/^language$/, '--language'],
  [/^voice$/, '--voice'],
  [/^voiceProvider$/, '--voice-provider'],
];

/** A core field error, named by the flag that set the field. */
function asFlag(issue: FieldIssue, voiceProvider: string | undefined, leftOut: readonly string[]): FieldIssue {
  const flag = FLAGS.find(([field]) => field.test(issue.field))?.[1];
  if (!flag) return issue;
  if (issue.field !== 'voiceProvider' || !voiceProvider) return { field: flag, message: issue.message };
  // A cloud voice is configured by its key: say why it is missing (a broken setting), else which key to set.
  const why = leftOut.find((warning) => warning.startsWith(`${voiceProvider} `));
  const keys = TTS_KEY_VARIABLES[voiceProvider as keyof typeof TTS_KEY_VARIABLES];
  const hint = why ? ` (${why})` : keys ? ` (set ${keys.join(' or ')} to use ${voiceProvider})` : '';
  return { field: flag, message: `${issue.message}${hint}` };
}

/**
 * The providers the environment configures (see `providersConfigFromEnv`), with the pictures
 * `--images` names (slides in the `--theme` colours) and the output's folder as storage: the CLI
 * writes a file, whatever storage a server would use. Voices that could not be set up are told to
 * `onWarning`, which explains them if the user asks for one.
 */
function cliProviders(flags: RenderFlags, theme: SlideThemeName, directory: string, env: NodeJS.ProcessEnv, onWarning: (message: string) => void) {
  const config = providersConfigFromEnv({ ...env, ...(flags.images !== undefined ? { IMAGE_PROVIDER: flags.images } : {}) });
  const images = config.images?.provider === 'slides' ? { provider: 'slides' as const, theme } : config.images;
  return createProviders(
    { ...config, ...(images ? { images } : {}), tts: { ...config.tts, espeak: { binaryPath: env.ESPEAK_NG_PATH } }, storage: { provider: 'local', directory } },
    env,
    onWarning,
  );
}

/** The request's quality options from the flags (the core validates the values). */
function renderOptions(flags: RenderFlags): Partial<RenderRequest> {
  const options: Partial<RenderRequest> = {};
  if (flags.captions || flags.wordHighlight !== undefined) {
    options.captions = flags.wordHighlight === undefined ? true : { wordHighlight: flags.wordHighlight };
  }
  if (flags.kenBurns !== undefined || flags.transition !== undefined) {
    options.motion = {
      ...(flags.kenBurns !== undefined && {
        kenBurns: flags.kenBurns === true ? true : { direction: flags.kenBurns as KenBurnsOptions['direction'] },
      }),
      ...(flags.transition !== undefined && { transition: flags.transition as MotionOptions['transition'] }),
    };
  }
  if (flags.preview) options.quality = 'preview';
  return options;
}

/**
 * A music URL is passed on; a local file is copied into the output's folder (the storage the
 * render reads from) under a hidden name, removed after the render.
 */
async function musicSource(music: string, directory: string): Promise<{ source: string; copy?: string }> {
  if (/^https?:\/\//i.test(music)) return { source: music };
  const info = await stat(music).catch(() => undefined);
  if (!info?.isFile()) throw new ValidationError([{ field: '--music', message: `"${music}" is not a file or an http(s) URL` }]);
  const name = `.scriptsensei-music-${randomUUID()}${extname(music)}`;
  await copyFile(music, join(directory, name));
  return { source: name, copy: join(directory, name) };
}

/** Checks the options with a fixed set of values before any work starts. */
function checkChoices(flags: RenderFlags): { platform: Platform; theme: SlideThemeName } {
  const issues: FieldIssue[] = [];
  const choice = <T extends string>(option: string, value: string, allowed: readonly T[]): T => {
    if (!allowed.includes(value as T)) issues.push({ field: option, message: `"${value}" is not one of ${allowed.join(', ')}` });
    return value as T;
  };
  const platform = choice('--platform', flags.platform, PLATFORMS);
  const theme = choice('--theme', flags.theme, THEMES);
  if (flags.images !== undefined) choice('--images', flags.images, IMAGE_PROVIDER_IDS);
  if (issues.length) throw new ValidationError(issues);
  return { platform, theme };
}

/**
 * Resolves the output path and creates its directory up front, so an unusable output fails in
 * a second rather than after the whole render.
 */
async function prepareOutput(path: string): Promise<string> {
  const output = resolve(path);
  const existing = await stat(output).catch(() => undefined);
  if (existing?.isDirectory()) throw new ValidationError([{ field: '--output', message: `"${path}" is a directory; name the MP4 file` }]);
  try {
    await mkdir(dirname(output), { recursive: true });
  } catch (error) {
    throw new ValidationError([{ field: '--output', message: `cannot create the directory of "${path}": ${(error as Error).message}` }]);
  }
  return output;
}

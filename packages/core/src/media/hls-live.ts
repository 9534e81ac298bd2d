import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LOUDNESS_DEFAULTS } from '../defaults.js';
import { callProvider } from '../pipeline/call-provider.js';
import type { StorageProvider } from '../specs/storage-provider.js';
import { splitFmp4, type Fmp4Fragment } from './fmp4-fragments.js';
import { runFfmpeg } from './ffmpeg-run.js';

/** One finished run of frames for the live stream (a scene, as the composer hands it over). */
export interface HlsChunk {
  /** 0-based; chunks are published in order. */
  index: number;
  /** Raw Annex-B H.264 starting with an IDR picture: `frames` pictures at the stream's fps. */
  videoPath: string;
  frames: number;
  /** Where the chunk starts on the video's timeline. */
  startSeconds: number;
  /**
   * An ffconcat placing the narration on the whole video's timeline (as the composer writes it);
   * the chunk's audio is `[startSeconds, startSeconds + frames / fps)` of it.
   */
  narrationListPath: string;
}

export interface HlsLiveOptions {
  ffmpegPath: string;
  storage: StorageProvider;
  /** Storage key of the playlist, e.g. `videos/<id>.hls/index.m3u8`; segments are stored beside it. */
  playlistKey: string;
  /** Scratch directory, owned and removed by the caller. */
  workDir: string;
  fps: number;
  /**
   * `EXT-X-TARGETDURATION`, which may not change while the playlist grows. A chunk longer than
   * this is cut into several segments at keyframes.
   */
  targetDurationSeconds: number;
  /** AAC bitrate, e.g. `128k`. */
  audioBitrate: string;
  signal: AbortSignal;
}

/** A growing HLS playlist (EVENT type, fMP4 segments) published chunk by chunk into storage. */
export interface HlsLive {
  /** Encodes a chunk's audio, packages it with its video as fMP4, stores it and the rewritten playlist. */
  publish(chunk: HlsChunk): Promise<void>;
  /** Stores the playlist with `EXT-X-ENDLIST`: the stream is complete. */
  finish(): Promise<void>;
  /** Deletes everything stored so far (after any publish in flight settles). */
  discard(): Promise<void>;
  /** Every storage key written so far. */
  readonly keys: string[];
}

/** AAC's encoder delay at 48 kHz: the first 1024 samples it outputs are priming, not signal. */
const AAC_PRIMING_SECONDS = 1024 / 48_000;
/** ffmpeg maps the chunk's video first, so the MP4 muxer gives it track 1. */
const VIDEO_TRACK_ID = 1;
/** The MPEG clock: divides evenly by common frame rates and by the AAC priming at 48 kHz. */
const VIDEO_TIMESCALE = 90_000;

/**
 * Creates the live stream of a render: each chunk becomes fMP4 (the video stream-copied, the
 * narration range encoded to AAC and levelled), stored beside the playlist, and the playlist is
 * rewritten after every chunk, so a player can start on the first scene while later ones encode.
 *
 * Timestamps run on across chunks (no discontinuities): each chunk's `tfdt` is its place on the
 * video's timeline, so players append chunks to one buffer as for any live stream. Everything is
 * shifted by the AAC priming, so each chunk's priming lands on its own start and its first real
 * sample on its first picture; chunk 0 then starts at 0 instead of at a negative time.
 */
export function createHlsLive(options: HlsLiveOptions): HlsLive {
  const { storage, signal, fps } = options;
  const folder = options.playlistKey.slice(0, options.playlistKey.lastIndexOf('/') + 1);
  const targetSeconds = Math.ceil(options.targetDurationSeconds);
  const keys: string[] = [];
  const entries: string[] = [];
  let lastInit: Uint8Array | undefined;
  let inits = 0;
  let segments = 0;
  let next = 0;
  let inFlight: Promise<void> = Promise.resolve();

  const put = async (name: string, body: Uint8Array, contentType: string) => {
    const key = `${folder}${name}`;
    // Recorded before the write, so discard() also removes a write that failed half-way.
    if (!keys.includes(key)) keys.push(key);
    await callProvider(storage.provider, signal, () => storage.put(key, body, { contentType, signal }));
  };
  const putPlaylist = (ended: boolean) =>
    put(
      options.playlistKey.slice(folder.length),
      Buffer.from(
        [
          '#EXTM3U',
          '#EXT-X-VERSION:7',
          `#EXT-X-TARGETDURATION:${targetSeconds}`,
          '#EXT-X-MEDIA-SEQUENCE:0',
          '#EXT-X-PLAYLIST-TYPE:EVENT',
          '#EXT-X-INDEPENDENT-SEGMENTS',
          ...entries,
          ...(ended ? ['#EXT-X-ENDLIST'] : []),
          '',
        ].join('\n'),
      ),
      'application/vnd.apple.mpegurl',
    );

  async function encodeChunk(chunk: HlsChunk): Promise<Uint8Array> {
    const start = chunk.startSeconds;
    const outputPath = join(options.workDir, `live-${String(chunk.index).padStart(4, '0')}.mp4`);
    await runFfmpeg({
      ffmpegPath: options.ffmpegPath,
      inputs: [
        { path: chunk.videoPath, options: ['-f', 'h264', '-framerate', String(fps)] },
        // Seeking the list (sample-accurate) reads only this chunk's narration, not all before it.
        { path: chunk.narrationListPath, options: ['-ss', start.toFixed(6), '-f', 'concat', '-safe', '0'] },
      ],
      outputs: [
        {
          path: outputPath,
          options: [
            '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy',
            // Gaps between scenes' narration become silence (as in the final mix); the chunk is
            // padded so a chunk past the last word still has audio to its end. Single-pass
            // loudnorm levels each chunk towards the final mix's target without a measuring pass
            // (the final mix is measured first and corrected exactly).
            '-af',
            [
              'aresample=async=1:first_pts=0',
              'apad',
              `atrim=end=${(chunk.frames / fps).toFixed(6)}`,
              `loudnorm=I=${LOUDNESS_DEFAULTS.targetLufs}:TP=${LOUDNESS_DEFAULTS.truePeakDb}:LRA=11`,
              'aresample=48000',
            ].join(','),
            '-c:a', 'aac', '-aac_coder', 'fast', '-b:a', options.audioBitrate, '-ar', '48000', '-ac', '2',
            // Keep the timeline's timestamps: frag_discont makes the muxer write them into tfdt
            // instead of starting at 0, and the AAC priming must not be shifted away.
            '-output_ts_offset', (start + AAC_PRIMING_SECONDS).toFixed(6),
            '-avoid_negative_ts', 'disabled',
            '-video_track_timescale', String(VIDEO_TIMESCALE),
            '-movflags', 'empty_moov+default_base_moof+frag_keyframe+frag_discont+skip_trailer',
            '-f', 'mp4',
          ],
        },
      ],
      signal,
    });
    try {
      return await readFile(outputPath);
    } finally {
      await rm(outputPath, { force: true });
    }
  }

  async function store(mp4: Uint8Array): Promise<void> {
    const { init, fragments } = splitFmp4(mp4, VIDEO_TRACK_ID);
    // Chunks from the same encoder settings share their init segment: one EXT-X-MAP for all.
    if (!lastInit || Buffer.compare(init, lastInit) !== 0) {
      const name = `init-${inits++}.mp4`;
      await put(name, init, 'video/mp4');
      entries.push(`#EXT-X-MAP:URI="${name}"`);
      lastInit = init;
    }
    for (const segment of segmentsOf(fragments, targetSeconds * fps)) {
      const name = `segment-${segments++}.m4s`;
      await put(name, Buffer.concat(segment.map((f) => f.bytes)), 'video/mp4');
      const frames = segment.reduce((sum, f) => sum + f.samples, 0);
      entries.push(`#EXTINF:${(frames / fps).toFixed(6)},`, name);
    }
    await putPlaylist(false);
  }

  return {
    publish(chunk) {
      if (chunk.index !== next) return Promise.reject(new RangeError(`chunk ${chunk.index} published out of order (expected ${next})`));
      next += 1;
      const work = inFlight.then(async () => store(await encodeChunk(chunk)));
      inFlight = work.catch(() => undefined);
      return work;
    },
    async finish() {
      await inFlight;
      await putPlaylist(true);
    },
    async discard() {
      await inFlight;
      await Promise.all(keys.map((key) => storage.delete(key).catch(() => undefined)));
      keys.length = 0;
    },
    get keys() {
      return [...keys];
    },
  };
}

/** Groups fragments (each starting at a keyframe) into segments of at most `maxFrames` pictures, at least one fragment each. */
function segmentsOf(fragments: Fmp4Fragment[], maxFrames: number): Fmp4Fragment[][] {
  const groups: Fmp4Fragment[][] = [];
  let frames = 0;
  for (const fragment of fragments) {
    const last = groups.at(-1);
    if (last && frames + fragment.samples <= maxFrames) {
      last.push(fragment);
      frames += fragment.samples;
    } else {
      groups.push([fragment]);
      frames = fragment.samples;
    }
  }
  return groups;
}

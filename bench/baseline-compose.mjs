// The hand-written ffmpeg baseline: the fastest honest classic recipe for stills + narration.
// Each scene is encoded as its own segment (a 1 fps looped still, raised to 30 fps), two at a
// time, then the segments are joined by stream copy and the audio muxed exactly as ours does.
// Same x264 settings as ours (stillEncoderOptions), same frame plan, same audio handling.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { planFrames, stillEncoderOptions } from '@scriptsensei/core';

const run = promisify(execFile);

export async function baselineCompose(scenes, o) {
  const plan = planFrames(scenes.map((s) => s.durationSeconds), o.fps);
  const gop = Math.round(o.gopSeconds * o.fps);
  const segments = scenes.map((_, i) => join(o.workDir, `baseline-seg-${i}.mp4`));
  const queue = scenes.map((scene, i) => async () => {
    const frames = plan[i].frames;
    await run(o.ffmpeg, [
      '-v', 'error', '-y', '-nostdin',
      '-loop', '1', '-framerate', '1', '-t', String(Math.ceil(frames / o.fps) + 1), '-i', scene.imagePath,
      '-vf', `scale=${o.width}:${o.height}:force_original_aspect_ratio=decrease,pad=${o.width}:${o.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${o.fps},format=yuv420p`,
      '-frames:v', String(frames), '-an',
      ...stillEncoderOptions(o, gop),
      segments[i],
    ]);
  });
  const workers = Array.from({ length: o.concurrency }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  });
  await Promise.all(workers);

  const videoList = join(o.workDir, 'baseline-video.ffconcat');
  await writeFile(videoList, `ffconcat version 1.0\n${segments.map((s) => `file '${s}'`).join('\n')}\n`);
  const audioList = join(o.workDir, 'baseline-audio.ffconcat');
  const audioLines = scenes.map((s, i) => `file '${s.audioPath}'${i < scenes.length - 1 ? `\nduration ${(plan[i].frames / o.fps).toFixed(6)}` : ''}`);
  await writeFile(audioList, `ffconcat version 1.0\n${audioLines.join('\n')}\n`);
  const totalFrames = plan.reduce((sum, p) => sum + p.frames, 0);
  await run(o.ffmpeg, [
    '-v', 'error', '-y', '-nostdin',
    '-f', 'concat', '-safe', '0', '-i', videoList,
    '-f', 'concat', '-safe', '0', '-i', audioList,
    '-map', '0:v:0', '-map', '1:a:0', '-c:v', 'copy',
    '-af', 'aresample=async=1:first_pts=0', '-c:a', 'aac', '-b:a', o.audioBitrate, '-ar', '48000', '-ac', '2',
    '-t', (totalFrames / o.fps).toFixed(3), '-movflags', '+faststart', o.outputPath,
  ]);
}

import { homedir, tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * Where local storage keeps videos when no directory is given: `SCRIPTSENSEI_STORAGE_DIR`, else
 * the user's data directory (`$XDG_DATA_HOME/scriptsensei/storage`, `~/.local/share/…` on Linux,
 * `%LOCALAPPDATA%\scriptsensei\storage` on Windows, `~/Library/Application Support/…` on macOS).
 * Never the current directory: a render started from a project folder must not leave videos and
 * caches in it (they end up committed). A user without a home directory gets the temp directory.
 */
export function defaultStorageDirectory(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SCRIPTSENSEI_STORAGE_DIR) return env.SCRIPTSENSEI_STORAGE_DIR;
  const home = safeHome();
  const data =
    platform === 'win32'
      ? (env.LOCALAPPDATA ?? (home && join(home, 'AppData', 'Local')))
      : platform === 'darwin'
        ? home && join(home, 'Library', 'Application Support')
        : // The XDG spec says a relative XDG_DATA_HOME is invalid and ignored.
          ((env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : undefined) ?? (home && join(home, '.local', 'share')));
  return join(data || tmpdir(), 'scriptsensei', 'storage');
}

function safeHome(): string | undefined {
  try {
    return homedir() || undefined;
  } catch {
    return undefined;
  }
}

import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { runStorageProviderContract } from '@scriptsensei/core/testing';
import { createLocalStorage, defaultStorageDirectory } from '@scriptsensei/adapters/storage/local';

const directory = mkdtempSync(join(tmpdir(), 'local-storage-'));

runStorageProviderContract({
  name: 'local',
  create: () => createLocalStorage({ directory }),
  cleanup: async () => rmSync(directory, { recursive: true, force: true }),
});

describe('local storage rooted at the filesystem root', () => {
  it('maps keys inside it instead of calling them escapes', async () => {
    const storage = createLocalStorage({ directory: '/' });
    expect(await storage.url('video.mp4')).toBe('file:///video.mp4');
    await expect(storage.url('../video.mp4')).rejects.toThrow(/key/);
  });
});

describe('the default directory', () => {
  it('is SCRIPTSENSEI_STORAGE_DIR when set', () => {
    expect(defaultStorageDirectory({ SCRIPTSENSEI_STORAGE_DIR: '/srv/videos' })).toBe('/srv/videos');
  });

  it("is the user's data directory on each platform, never the current directory", () => {
    expect(defaultStorageDirectory({ XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/scriptsensei/storage');
    expect(defaultStorageDirectory({}, 'linux')).toBe(join(homedir(), '.local/share/scriptsensei/storage'));
    expect(defaultStorageDirectory({}, 'darwin')).toBe(join(homedir(), 'Library/Application Support/scriptsensei/storage'));
    expect(defaultStorageDirectory({ LOCALAPPDATA: 'C:/Users/a/AppData/Local' }, 'win32')).toBe(join('C:/Users/a/AppData/Local', 'scriptsensei', 'storage'));
    const saved = process.env.SCRIPTSENSEI_STORAGE_DIR;
    delete process.env.SCRIPTSENSEI_STORAGE_DIR;
    try {
      expect(createLocalStorage().root).not.toBe(join(process.cwd(), 'storage'));
      expect(createLocalStorage().root).toBe(defaultStorageDirectory());
    } finally {
      if (saved !== undefined) process.env.SCRIPTSENSEI_STORAGE_DIR = saved;
    }
  });
});

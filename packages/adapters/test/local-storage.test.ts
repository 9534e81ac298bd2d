import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStorageProviderContract } from '@scriptsensei/core/testing';
import { createLocalStorage } from '@scriptsensei/adapters/storage/local';

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

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

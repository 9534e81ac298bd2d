import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createInMemoryJobEvents, createInProcessQueue, createKeyvJobStore } from '../src/index.js';
import { runJobEventsContract, runJobQueueContract, runJobStoreContract } from '../src/testing/index.js';
import { sqliteKeyv } from './helpers/sqlite-keyv.js';

const dir = mkdtempSync(join(tmpdir(), 'job-backends-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runJobStoreContract({ name: 'keyv (memory)', create: () => createKeyvJobStore() });

const file = join(dir, 'jobs.sqlite');
runJobStoreContract({
  name: 'keyv (@keyv/sqlite)',
  create: () => createKeyvJobStore({ keyv: sqliteKeyv(file) }),
  reopen: () => createKeyvJobStore({ keyv: sqliteKeyv(file) }),
});

runJobQueueContract({ name: 'in-process (p-queue)', create: () => createInProcessQueue() });

runJobEventsContract({ name: 'in-memory', create: () => createInMemoryJobEvents() });

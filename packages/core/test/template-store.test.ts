import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyvTemplateStore } from '../src/index.js';
import { runTemplateStoreContract } from '../src/testing/index.js';
import { sqliteKeyv } from './helpers/sqlite-keyv.js';

runTemplateStoreContract({ name: 'keyv (memory)', create: () => createKeyvTemplateStore() });

const file = join(mkdtempSync(join(tmpdir(), 'ss-templates-')), 'templates.sqlite');
runTemplateStoreContract({ name: 'keyv (@keyv/sqlite)', create: () => createKeyvTemplateStore({ keyv: sqliteKeyv(file) }) });

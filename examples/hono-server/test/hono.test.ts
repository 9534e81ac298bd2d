import { startServer } from '../server.mjs';
import { runHttpSuite } from '../../express-server/test/http-suite.js';

runHttpSuite('hono', (env) => startServer({ port: 0, env: { ...process.env, ...env } }));

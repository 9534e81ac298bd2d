import { pino } from 'pino';
import { startServer } from '../server.mjs';
import { runHttpSuite } from './http-suite.js';

runHttpSuite('express', (env) => startServer({ port: 0, env: { ...process.env, ...env }, logger: pino({ level: 'silent' }) }));

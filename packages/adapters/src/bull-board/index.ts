import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import { createAuthenticator, type AuthOptions } from '../http/auth.js';

export interface QueueDashboardOptions {
  /** Where the dashboard is mounted, for its links. @defaultValue '/admin/queues' */
  basePath?: string;
  /** The job API's auth: when on, the dashboard needs a valid token too. */
  auth?: AuthOptions;
  /** Hide retry/clean/remove buttons. @defaultValue false */
  readOnly?: boolean;
}

type Middleware = (req: { headers: Record<string, string | string[] | undefined> }, res: ExpressResponse, next: (error?: unknown) => void) => void;
interface ExpressResponse {
  status(code: number): ExpressResponse;
  setHeader(name: string, value: string): void;
  json(body: unknown): void;
}

/**
 * Bull Board (the role Flower had for the original's Celery workers) over the render queue, as
 * Express middleware: `app.use('/admin/queues', createQueueDashboard(queue.bull, { auth }))`.
 * With auth on, it takes the API's bearer token, or the same token as the password of HTTP Basic
 * auth, so a browser can open it (it asks for the password).
 */
export function createQueueDashboard(queue: Queue, options: QueueDashboardOptions = {}): Middleware {
  const basePath = options.basePath ?? '/admin/queues';
  const serverAdapter = new ExpressAdapter().setBasePath(basePath);
  createBullBoard({ queues: [new BullMQAdapter(queue, { readOnlyMode: options.readOnly ?? false })], serverAdapter });
  const board = serverAdapter.getRouter() as Middleware;
  const authenticate = createAuthenticator(options.auth);
  if (!authenticate.enabled) return board;
  return (req, res, next) => {
    const header = req.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    authenticate(toBearer(value)).then(
      () => board(req, res, next),
      () => {
        res.setHeader('WWW-Authenticate', 'Basic realm="ScriptSensei queues", charset="UTF-8"');
        res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'Send Authorization: Bearer <token>, or the token as the Basic auth password' } });
      },
    );
  };
}

/** A Basic auth header becomes a bearer token (its password); anything else passes as it is. */
function toBearer(header: string | undefined): string | undefined {
  const basic = /^Basic\s+(.+)$/i.exec(header ?? '');
  if (!basic) return header;
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
  return `Bearer ${decoded.slice(decoded.indexOf(':') + 1)}`;
}

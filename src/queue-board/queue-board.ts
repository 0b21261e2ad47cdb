import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { getQueueToken } from '@nestjs/bullmq';
import { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { OrganizerAuth } from '../auth/organizer-auth';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ALL_QUEUES } from '../queue/queue.constants';

export const QUEUE_BOARD_PATH = '/admin/queues';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The board's page changes jobs by fetch with no custom header, so the /api rule (X-Requested-With)
 * cannot tell it from another site's form: a browser says where a request comes from instead
 * (Sec-Fetch-Site, or Origin), which another site cannot forge. A cookie is sent cross-site only
 * where SameSite=Lax lets it; this holds without that too.
 */
function fromThisOrigin(request: Request, publicOrigin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = request.headers.origin;
  return origin !== undefined && (origin === publicOrigin || origin === `${request.protocol}://${request.get('host')}`);
}

/**
 * Bull Board, the dashboard the BullMQ ecosystem uses, at /admin/queues: every queue's jobs by
 * state, their data, errors and retries. Its adapter reads both backends (Redis, and BullMQ 6's
 * PostgreSQL backend, whose datastore stats it shows in place of Redis's). Federation admins
 * only, by the admin token, an admin's API token or an admin's console session: job data holds
 * outbox ids and request ids, and the board can retry and remove jobs.
 * An Express router mounted before Nest's routes, so the admin check is done here rather than by
 * a guard; the outbox stays the truth, so a job removed here is queued again by the relay.
 */
export function mountQueueBoard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: ALL_QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)))),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Seminar Hub' } },
  });
  const auth = app.get(OrganizerAuth);
  const publicOrigin = new URL(app.get<AppConfig>(APP_CONFIG).publicUrl).origin;
  const adminsOnly = (request: Request, response: Response, next: NextFunction): void => {
    auth.authenticate(request).then((principal) => {
      if (!principal) {
        response.status(401).json({
          statusCode: 401,
          error: 'Unauthorized',
          message: 'a federation admin credential is required (Authorization: Bearer <token> or a console session)',
        });
      } else if (principal.role !== 'admin') {
        response.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'only a federation admin may open the queue board' });
      } else if (principal.via === 'session' && !SAFE_METHODS.has(request.method) && !fromThisOrigin(request, publicOrigin)) {
        response.status(403).json({
          statusCode: 403,
          error: 'Forbidden',
          message: 'with a console session, the queue board changes jobs only from its own page (same origin); scripts use a token',
        });
      } else {
        next();
      }
    }, next);
  };
  app.use(QUEUE_BOARD_PATH, adminsOnly, serverAdapter.getRouter());
}

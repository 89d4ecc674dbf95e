// POST /host-session/messages: the host page forwards every PostMessage it sends or receives;
// authenticated by the signed host-page session, bounded, and published as hostpage:message.
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import type { LaunchLinks } from '../auth/launch-links';
import type { HostPageMessage } from '../contracts/events';
import { json } from './respond';

const MAX_MESSAGE_BYTES = 64 * 1024;
export const MESSAGES_PATH = '/host-session/messages';

export interface MessagesDeps {
  links: LaunchLinks;
  clock: () => number;
  emit: (message: HostPageMessage) => void;
}

/** Body-parser failures as this route's own answers (same shape as every other refusal here). */
function bodyRefusal(err: unknown): { status: number; error: string } | null {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.too.large') return { status: 413, error: 'message too large' };
  if (type === 'entity.parse.failed') return { status: 400, error: 'body is not JSON' };
  return null;
}

export function createMessagesRouter(deps: MessagesDeps): Router {
  const router = express.Router({ caseSensitive: true, strict: true });
  router.all(MESSAGES_PATH, (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
    const session = req.headers['x-host-session'];
    const check = typeof session === 'string' ? deps.links.verifySession(session) : null;
    if (!check?.ok) return json(res, 403, { error: 'missing or invalid host-page session' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return json(res, 415, { error: 'send JSON' });
    res.locals['session'] = check.claims;
    next();
  });
  router.post(
    MESSAGES_PATH,
    express.json({ limit: MAX_MESSAGE_BYTES, type: 'application/json', strict: false, inflate: false }),
    (req: Request, res: Response): void => {
      const claims = res.locals['session'] as { sessionId: string; fileId: string };
      const body = (req.body ?? {}) as { direction?: unknown; messageId?: unknown; values?: unknown };
      const direction =
        body.direction === 'to-client'
          ? 'to-client'
          : body.direction === 'from-client'
            ? 'from-client'
            : null;
      if (!direction || typeof body.messageId !== 'string' || body.messageId.length > 200) {
        return json(res, 400, { error: 'need direction (from-client|to-client) and messageId' });
      }
      const values =
        typeof body.values === 'object' && body.values !== null && !Array.isArray(body.values)
          ? body.values
          : {};
      deps.emit({
        sessionId: claims.sessionId,
        fileId: claims.fileId,
        direction,
        messageId: body.messageId,
        values: values as Record<string, unknown>,
        at: deps.clock(),
      });
      json(res, 204);
    },
  );
  router.use(MESSAGES_PATH, (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    const refusal = bodyRefusal(err);
    if (!refusal || res.headersSent) return next(err);
    json(res, refusal.status, { error: refusal.error });
  });
  return router;
}

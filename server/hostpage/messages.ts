// POST /host-session/messages: the host page forwards every PostMessage it sends or receives;
// authenticated by the signed host-page session, bounded, and published as hostpage:message.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LaunchLinks } from '../auth/launch-links';
import type { HostPageMessage } from '../contracts/events';
import { json } from './respond';

const MAX_MESSAGE_BYTES = 64 * 1024;

export interface MessagesDeps {
  links: LaunchLinks;
  clock: () => number;
  emit: (message: HostPageMessage) => void;
}

export function createMessagesHandler(deps: MessagesDeps) {
  return async function messages(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return json(res, 405, { error: 'POST only' });
    const session = req.headers['x-host-session'];
    const check = typeof session === 'string' ? deps.links.verifySession(session) : null;
    if (!check?.ok) return json(res, 403, { error: 'missing or invalid host-page session' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return json(res, 415, { error: 'send JSON' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_MESSAGE_BYTES) return json(res, 413, { error: 'message too large' });
      chunks.push(chunk);
    }
    let body: { direction?: unknown; messageId?: unknown; values?: unknown };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return json(res, 400, { error: 'body is not JSON' });
    }
    const direction =
      body.direction === 'to-client' ? 'to-client' : body.direction === 'from-client' ? 'from-client' : null;
    if (!direction || typeof body.messageId !== 'string' || body.messageId.length > 200) {
      return json(res, 400, { error: 'need direction (from-client|to-client) and messageId' });
    }
    const values =
      typeof body.values === 'object' && body.values !== null && !Array.isArray(body.values)
        ? body.values
        : {};
    deps.emit({
      sessionId: check.claims.sessionId,
      fileId: check.claims.fileId,
      direction,
      messageId: body.messageId,
      values: values as Record<string, unknown>,
      at: deps.clock(),
    });
    json(res, 204);
  };
}

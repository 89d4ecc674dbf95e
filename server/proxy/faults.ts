// Fault rules in proxy mode (`serve --upstream`): the effects that need nothing of the host's own
// handling apply in front of the forwarding too. A status is answered here (the upstream never sees
// the request), a dropped connection gets no answer, and latency waits, then forwards. The persona
// is not known here (the token is the upstream's), so only rules for any persona apply.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestRecord, WopiOperation } from '../contracts/api';
import type { FaultEffect } from '../contracts/lab';
import type { FiredFault } from '../faults';
import { answerIsInjected, answerStatus, tagFaultRecord } from '../faults';
import { WopiHeader } from '../protocol/headers';
import { operationOf, wopiFileOf } from '../protocol/operations';
import { flatten } from './headers';

export interface ProxyFaults {
  decide(
    op: WopiOperation,
    fileId: string,
    personaId: string | undefined,
    kinds?: readonly FaultEffect['kind'][],
  ): FiredFault | null;
}

/** The effects the proxy applies; the rest (bodies, CheckFileInfo edits) are this host's only. */
export const PROXY_EFFECTS: readonly FaultEffect['kind'][] = ['status', 'latency', 'drop-connection'];

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v.join(', ') : v);

/** The rule that fires on this proxied request, or null. */
export function proxyFault(faults: ProxyFaults, req: IncomingMessage): FiredFault | null {
  const local = req.url ?? '/';
  const path = local.split('?')[0]!;
  const { fileId } = wopiFileOf(path);
  if (fileId === undefined) return null;
  const op = operationOf(
    req.method ?? 'GET',
    path,
    one(req.headers[WopiHeader.override]),
    req.headers[WopiHeader.oldLock] !== undefined,
  );
  return faults.decide(op, fileId, undefined, PROXY_EFFECTS);
}

/**
 * Applies `f` to a proxied request: answers or drops it here (publishing its record), or, for
 * latency, calls `forward` later with a publish that tags the forwarded exchange's record.
 */
export function applyProxyFault(
  f: FiredFault,
  req: IncomingMessage,
  res: ServerResponse,
  p: {
    t0: number;
    startedAt: (t0: number) => number;
    publish: (rec: RequestRecord, how?: { lint?: boolean }) => void;
    forward: (publish: (rec: RequestRecord, how?: { lint?: boolean }) => void) => void;
  },
): void {
  const e = f.effect;
  if (e.kind === 'latency') {
    const tagged = (rec: RequestRecord, how?: { lint?: boolean }): void => {
      tagFaultRecord(rec, f);
      p.publish(rec, how);
    };
    setTimeout(() => p.forward(tagged), e.ms);
    return;
  }
  const local = req.url ?? '/';
  const q = local.indexOf('?');
  const path = q >= 0 ? local.slice(0, q) : local;
  const override = one(req.headers[WopiHeader.override]);
  const { fileId } = wopiFileOf(path);
  const rec: RequestRecord = {
    id: randomUUID(),
    startedAt: p.startedAt(p.t0),
    durationMs: 0,
    method: req.method ?? 'GET',
    path,
    query: q >= 0 ? local.slice(q + 1) : '',
    operation: operationOf(
      req.method ?? 'GET',
      path,
      override,
      req.headers[WopiHeader.oldLock] !== undefined,
    ),
    ...(override !== undefined ? { override } : {}),
    ...(fileId !== undefined ? { fileId } : {}),
    status: 0,
    requestHeaders: flatten(req.rawHeaders),
    responseHeaders: {},
    source: 'proxy',
  };
  res.once('close', () => {
    rec.durationMs = Math.round((performance.now() - p.t0) * 100) / 100;
    if (e.kind === 'status') {
      rec.status = res.statusCode;
      rec.responseHeaders = flatten(
        Object.entries(res.getHeaders()).flatMap(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(', ') : String(v),
        ]),
      );
    }
    tagFaultRecord(rec, f);
    p.publish(rec, { lint: !answerIsInjected(f) });
  });
  if (e.kind === 'status') answerStatus(res, f, e);
  else req.socket.destroy();
}

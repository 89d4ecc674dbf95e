// The request log: pages of records (newest first), one record, and clearing. Records are stored
// complete; on the way out they are marked redacted here and redacted by the handler, like every
// answer, unless one record is explicitly revealed.
import type { ClearedRequests, RequestPage, WopiOperation } from '../contracts/api';
import { redactRecord } from '../events/redact';
import type { RequestQuery } from '../state/request-log';
import { ControlError } from './errors';
import type { ControlDeps, RouteTable } from './router';
import { queryFlag, queryInt } from './validate';

// A Record so the compiler insists on every operation the contract names, and no other.
const OPERATIONS: Readonly<Record<WopiOperation, true>> = {
  CheckFileInfo: true,
  GetFile: true,
  PutFile: true,
  Lock: true,
  UnlockAndRelock: true,
  GetLock: true,
  RefreshLock: true,
  Unlock: true,
  PutRelativeFile: true,
  RenameFile: true,
  DeleteFile: true,
  PutUserInfo: true,
  Unsupported: true,
  HostPage: true,
  Other: true,
};
const isOperation = (s: string): s is WopiOperation => Object.hasOwn(OPERATIONS, s);

const MAX_QUERY_TEXT = 256;

type RequestRoutes = Pick<RouteTable, 'requests' | 'request' | 'clearRequests'>;

export function parseRequestQuery(q: URLSearchParams): RequestQuery {
  const out: RequestQuery = {};
  const before = queryInt(q, 'before', 0, Number.MAX_SAFE_INTEGER);
  if (before !== undefined) out.before = before;
  const limit = queryInt(q, 'limit', 1, 1000);
  if (limit !== undefined) out.limit = limit;
  const operation = q.get('operation');
  if (operation) {
    if (!isOperation(operation)) {
      throw new ControlError('bad-request', `operation must be one of ${Object.keys(OPERATIONS).join(', ')}`);
    }
    out.operation = operation;
  }
  const status = q.get('status');
  if (status) {
    if (!/^[1-5]xx$/.test(status) && !/^[1-5]\d\d$/.test(status)) {
      throw new ControlError('bad-request', "status must be a class like '4xx' or a code like '409'");
    }
    out.status = status;
  }
  for (const key of ['fileId', 'q'] as const) {
    const v = q.get(key);
    if (!v) continue;
    if (v.length > MAX_QUERY_TEXT)
      throw new ControlError('bad-request', `${key} must be at most ${MAX_QUERY_TEXT} characters`);
    out[key] = v;
  }
  return out;
}

export function requestRoutes({ engine }: ControlDeps): RequestRoutes {
  const { requestLog, bus } = engine;
  return {
    requests: async ({ url }) => {
      const query = parseRequestQuery(url.searchParams);
      const page = requestLog.page(query);
      const body: RequestPage = { items: page.items.map(redactRecord), total: page.total };
      if (page.nextCursor !== undefined) body.nextCursor = page.nextCursor;
      return { body };
    },
    request: async ({ params, url }) => {
      const id = params['requestId']!;
      const record = requestLog.get(id);
      if (!record)
        throw new ControlError(
          'not-found',
          `no logged request with id ${id} (cleared, or trimmed by retention)`,
        );
      return queryFlag(url.searchParams, 'reveal')
        ? { body: record, reveal: true }
        : { body: redactRecord(record) };
    },
    clearRequests: async () => {
      const cleared = requestLog.count();
      // The engine's log writer clears the table on this event; the UI clears its list on it too.
      bus.emit('log:cleared', { at: engine.options.clock() });
      const body: ClearedRequests = { cleared };
      return { body };
    },
  };
}

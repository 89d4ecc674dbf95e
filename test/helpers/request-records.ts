// Realistic RequestRecords for tests and benchmarks of the request log (renderer stores, bench/ui.ts).
import type { RequestRecord, WopiOperation } from '../../server/contracts';

const OPS: readonly { op: WopiOperation; method: string; suffix: string; override?: string }[] = [
  { op: 'CheckFileInfo', method: 'GET', suffix: '' },
  { op: 'GetFile', method: 'GET', suffix: '/contents' },
  { op: 'Lock', method: 'POST', suffix: '', override: 'LOCK' },
  { op: 'RefreshLock', method: 'POST', suffix: '', override: 'REFRESH_LOCK' },
  { op: 'PutFile', method: 'POST', suffix: '/contents', override: 'PUT' },
  { op: 'GetLock', method: 'POST', suffix: '', override: 'GET_LOCK' },
  { op: 'Unlock', method: 'POST', suffix: '', override: 'UNLOCK' },
  { op: 'PutUserInfo', method: 'POST', suffix: '', override: 'PUT_USER_INFO' },
];

const FILES = ['Proposal.docx', 'Reports/q3-forecast.xlsx', 'Design/roadmap.pptx', 'notes.txt'];

/** The i-th record of a plausible editing session: mostly CheckFileInfo/GetFile/locks, some 409s. */
export function makeRecord(i: number, overrides: Partial<RequestRecord> = {}): RequestRecord {
  const kind = OPS[i % OPS.length]!;
  const file = FILES[i % FILES.length]!;
  const fileId = `f${(i % FILES.length) + 1}`;
  const conflict = kind.op === 'PutFile' && i % 5 === 0;
  const lock = `lock-${Math.floor(i / 40)}`;
  const requestHeaders: Record<string, string> = {
    host: '127.0.0.1:8080',
    'user-agent': 'Mozilla/5.0 WOPI client',
    'x-wopi-proof': 'redacted(344)',
    'x-wopi-timestamp': String(638_000_000_000_000_000 + i),
    'x-wopi-correlationid': `corr-${i}`,
  };
  if (kind.override) requestHeaders['x-wopi-override'] = kind.override;
  if (kind.override && kind.op !== 'GetLock' && kind.op !== 'PutUserInfo')
    requestHeaders['x-wopi-lock'] = lock;
  const record: RequestRecord = {
    id: `r${i}`,
    startedAt: 1_700_000_000_000 + i * 10,
    durationMs: 1 + (i % 7),
    method: kind.method,
    path: `/wopi/files/${fileId}${kind.suffix}`,
    query: 'access_token=redacted(120)&access_token_ttl=0',
    operation: kind.op,
    fileId,
    filePath: file,
    userId: i % 3 === 0 ? 'coauthor' : 'editor',
    userName: i % 3 === 0 ? 'Grace Coauthor' : 'Ada Editor',
    status: conflict ? 409 : 200,
    requestHeaders,
    responseHeaders: {
      'content-type': 'application/json; charset=utf-8',
      'x-wopi-itemversion': `v${i}`,
      ...(conflict ? { 'x-wopi-lock': 'someone-else', 'x-wopi-lockfailurereason': 'Lock mismatch' } : {}),
    },
    proof: {
      mode: 'report',
      outcome: 'valid',
      combination: 'proof-current',
      reason: 'The proof verified with the current key.',
      urlVerified: `http://127.0.0.1:8080/wopi/files/${fileId}`,
      rejected: false,
    },
    correlationId: `corr-${i}`,
    redacted: true,
  };
  if (conflict) record.why = `The file is locked with another id (someone-else), not ${lock}.`;
  if (kind.override) {
    record.override = kind.override;
    record.lockBefore = lock;
    record.lockAfter = kind.op === 'Unlock' ? null : lock;
  }
  return { ...record, ...overrides };
}

// The protocol linter's findings in a run's request log, read through the control API as the UI does.
import type { RequestPage, RequestRecord } from '../../server/contracts/api';
import type { WopiResponse } from './wopi-client';

type Control = (method: string, route: string) => Promise<WopiResponse>;

/** Every logged record that carries findings, one line each (operation, status, rule: message). */
export async function findingsInLog(control: Control): Promise<string[]> {
  const out: string[] = [];
  let before: string | undefined;
  for (;;) {
    const res = await control('GET', `/v1/requests?limit=1000${before ? `&before=${before}` : ''}`);
    if (res.status !== 200) throw new Error(`GET /v1/requests answered ${res.status}: ${res.text}`);
    const page = JSON.parse(res.text) as RequestPage;
    for (const r of page.items) out.push(...describeFindings(r));
    if (!page.nextCursor) return out;
    before = page.nextCursor;
  }
}

export function describeFindings(r: RequestRecord): string[] {
  return (r.findings ?? []).map(
    (f) => `${r.method} ${r.operation} ${r.status} ${r.fileId ?? r.path}: ${f.rule}: ${f.message}`,
  );
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNotificationPolicy } from '../../main/notifications';
import type { ProofVerdict, RequestRecord, TunnelState, TunnelStatus } from '../../server/contracts';

const tunnel = (status: TunnelStatus, extra: Partial<TunnelState> = {}): TunnelState => ({
  provider: 'localtunnel',
  status,
  since: 0,
  warnings: [],
  ...extra,
});

function request(
  outcome: ProofVerdict['outcome'] | undefined,
  extra: Partial<RequestRecord> = {},
): RequestRecord {
  const record: RequestRecord = {
    id: 'r1',
    startedAt: 0,
    durationMs: 3,
    method: 'POST',
    path: '/wopi/files/abc/contents',
    query: '',
    operation: 'PutFile',
    status: 200,
    requestHeaders: {},
    responseHeaders: {},
    filePath: 'Report.docx',
    ...extra,
  };
  if (outcome) {
    record.proof = {
      mode: 'enforce',
      outcome,
      reason: 'The signature does not match the current or old key.',
      urlVerified: 'https://x.example/wopi/files/abc/contents',
      rejected: outcome !== 'valid',
    };
  }
  return record;
}

void test('tunnel: notifies on the transition into dropped or failed, once', () => {
  const policy = createNotificationPolicy({ now: () => 0 });
  assert.equal(policy.onTunnelChanged(tunnel('connecting')), null);
  assert.equal(policy.onTunnelChanged(tunnel('online', { publicUrl: 'https://abcd.loca.lt' })), null);
  const dropped = policy.onTunnelChanged(tunnel('dropped', { publicUrl: 'https://abcd.loca.lt' }));
  assert.equal(dropped?.title, 'Tunnel dropped');
  assert.match(dropped?.body ?? '', /abcd\.loca\.lt/);
  assert.equal(policy.onTunnelChanged(tunnel('dropped', { attempt: 2 })), null, 'retry updates stay quiet');
  assert.equal(policy.onTunnelChanged(tunnel('reconnecting')), null);
  const failed = policy.onTunnelChanged(tunnel('failed', { error: 'ENOTFOUND lt.example' }));
  assert.equal(failed?.title, 'Tunnel failed');
  assert.match(failed?.body ?? '', /ENOTFOUND/);
  assert.equal(policy.onTunnelChanged(tunnel('off')), null, 'turning it off on purpose is not news');
});

void test('proof: invalid and expired notify; valid, missing and skipped do not', () => {
  const policy = createNotificationPolicy({ now: () => 0, proofCooldownMs: 0 });
  for (const quiet of ['valid', 'missing', 'skipped', undefined] as const) {
    assert.equal(policy.onRequestCompleted(request(quiet)), null, String(quiet));
  }
  const invalid = policy.onRequestCompleted(request('invalid'));
  assert.equal(invalid?.title, 'Proof check failed: PutFile');
  assert.match(invalid?.body ?? '', /invalid proof on Report\.docx, request rejected/);
  const expired = policy.onRequestCompleted(request('expired'));
  assert.match(expired?.body ?? '', /expired proof/);
});

void test('proof: a burst gives one notice per cool-down and counts the rest', () => {
  let now = 1_000;
  const policy = createNotificationPolicy({ now: () => now, proofCooldownMs: 60_000 });
  assert.ok(policy.onRequestCompleted(request('invalid')));
  now += 1_000;
  assert.equal(policy.onRequestCompleted(request('invalid')), null);
  assert.equal(policy.onRequestCompleted(request('expired')), null);
  now += 60_000;
  const next = policy.onRequestCompleted(request('invalid'));
  assert.match(next?.body ?? '', /2 more since the last notice/);
  now += 60_000;
  assert.doesNotMatch(policy.onRequestCompleted(request('invalid'))?.body ?? '', /more since/);
});

// renderer/state/outcomes.ts and notices.ts: a notice says what the host answered, never the intent. A
// tunnel start is announced neutrally and that notice is replaced by the outcome; a failed start is an
// error, a status this UI does not know is neutral, an unreachable check is not a success.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { DiscoveryStateView, ReachabilityResult, TunnelState } from '../../server/contracts';
import { tunnelTone } from '../../renderer/components/badge';
import { NoticeStore } from '../../renderer/state/notices';
import {
  discoveryRefreshOutcome,
  reachabilityOutcome,
  settleTunnelStart,
  tunnelStartOutcome,
  TUNNEL_FOLLOW_MS,
} from '../../renderer/state/outcomes';
import { WorkspaceStore } from '../../renderer/state/workspace';

const tunnel = (patch: Partial<TunnelState>): TunnelState => ({
  provider: 'localtunnel',
  status: 'connecting',
  since: 0,
  warnings: [],
  ...patch,
});

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

void describe('tunnel start outcome', () => {
  void it('is an error when the start failed, with the reason', () => {
    assert.deepEqual(tunnelStartOutcome(tunnel({ status: 'failed', error: 'connect ECONNREFUSED' })), {
      kind: 'error',
      text: 'Tunnel failed: connect ECONNREFUSED',
    });
  });

  void it('is a success only when online', () => {
    const online = tunnelStartOutcome(tunnel({ status: 'online', publicUrl: 'https://a.example' }));
    assert.deepEqual(online, { kind: 'success', text: 'Tunnel online at https://a.example' });
  });

  void it('is neutral for a status this UI does not know (a newer host), never green', () => {
    const state = tunnel({ status: 'paused' as TunnelState['status'], publicUrl: 'https://a.example' });
    assert.deepEqual(tunnelStartOutcome(state), {
      kind: 'info',
      text: 'Tunnel paused at https://a.example',
    });
  });

  void it('is not a success for a public URL no check has verified yet, and says why', () => {
    const state = tunnel({
      status: 'unverified',
      publicUrl: 'https://a.example',
      error: 'host name does not resolve',
    });
    assert.deepEqual(tunnelStartOutcome(state), {
      kind: 'info',
      text: 'Public URL set at https://a.example, not verified yet: host name does not resolve',
    });
  });

  void it('colours a status this UI does not know neutrally in badges and the navigation dot', () => {
    assert.equal(tunnelTone('paused' as TunnelState['status']), 'neutral');
    assert.equal(tunnelTone('unverified'), 'warning');
    assert.equal(tunnelTone('online'), 'success');
  });

  void it('is not known yet while connecting or reconnecting', () => {
    assert.equal(tunnelStartOutcome(tunnel({ status: 'connecting' })), null);
    assert.equal(tunnelStartOutcome(tunnel({ status: 'reconnecting' })), null);
  });
});

void describe('settling the "Starting tunnel…" notice', () => {
  void it('replaces it in place by the outcome the start returned: one notice, not a success next to a failure', () => {
    const notices = new NoticeStore();
    const id = notices.push('info', 'Starting tunnel…', { sticky: true });
    settleTunnelStart(notices, new WorkspaceStore(), id, tunnel({ status: 'failed', error: 'bad host' }));
    assert.deepEqual(notices.get(), [{ id, kind: 'error', text: 'Tunnel failed: bad host' }]);
  });

  void it('stays neutral while connecting, then takes the outcome of a later tunnel state', () => {
    const notices = new NoticeStore();
    const workspace = new WorkspaceStore();
    const id = notices.push('info', 'Starting tunnel…', { sticky: true });
    settleTunnelStart(notices, workspace, id, tunnel({ status: 'connecting' }));
    assert.deepEqual(notices.get(), [{ id, kind: 'info', text: 'Starting tunnel…' }]);
    workspace.setTunnel(tunnel({ status: 'reconnecting' }));
    assert.equal(notices.get()[0]?.kind, 'info');
    workspace.setTunnel(tunnel({ status: 'online', publicUrl: 'https://b.example' }));
    assert.deepEqual(notices.get(), [{ id, kind: 'success', text: 'Tunnel online at https://b.example' }]);
    // Settled once: a later state (the tunnel dropping) is not this start's outcome.
    workspace.setTunnel(tunnel({ status: 'failed', error: 'later' }));
    assert.equal(notices.get()[0]?.kind, 'success');
  });

  void it('says the tunnel is still connecting when no outcome comes, instead of waiting forever', () => {
    const notices = new NoticeStore();
    const id = notices.push('info', 'Starting tunnel…', { sticky: true });
    settleTunnelStart(notices, new WorkspaceStore(), id, tunnel({ status: 'connecting' }));
    mock.timers.tick(TUNNEL_FOLLOW_MS);
    assert.equal(notices.get()[0]?.kind, 'info');
    assert.match(notices.get()[0]?.text ?? '', /still connecting/);
  });

  void it('a sticky notice stays until settled; a settled one expires', () => {
    const notices = new NoticeStore();
    const id = notices.push('info', 'Starting tunnel…', { sticky: true });
    mock.timers.tick(60_000);
    assert.equal(notices.get().length, 1);
    notices.settle(id, 'success', 'Tunnel online');
    mock.timers.tick(10_000);
    assert.equal(notices.get().length, 0);
  });
});

void describe('other outcomes', () => {
  void it('a reachability check that failed is an error naming the failing hop', () => {
    const result: ReachabilityResult = {
      ok: false,
      checkedAt: 0,
      hops: [
        { name: 'DNS', ok: true, detail: 'resolves' },
        { name: 'TLS', ok: false, detail: 'certificate expired' },
      ],
    };
    assert.deepEqual(reachabilityOutcome(result), {
      kind: 'error',
      text: 'Not reachable: TLS: certificate expired',
    });
  });

  void it('a discovery refresh answered with a failed state is an error, not "refreshed"', () => {
    const state = {
      profile: 'office',
      source: 'https://x',
      proofMode: 'report',
      status: 'failed',
      error: 'HTTP 503',
      actions: [],
      changes: [],
    } as DiscoveryStateView;
    assert.deepEqual(discoveryRefreshOutcome(state), {
      kind: 'error',
      text: 'Discovery refresh failed: HTTP 503',
    });
  });
});

// Tunnel: is the host reachable from the internet, at which URL, and how to start/stop/check it.
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { ReachabilityResult, TunnelStartRequest, TunnelState } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { openExternal } from '../../api/desktop';
import { Badge, tunnelTone } from '../../components/badge';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { formatAgo } from '../../components/format';
import { Icon } from '../../components/icons';
import { KeyValue, Panel } from '../../components/panel';
import { useNow } from '../../components/use-now';
import { useApp } from '../../state/app-context';
import {
  reachabilityOutcome,
  settleTunnelStart,
  tunnelStopOutcome,
  type Outcome,
} from '../../state/outcomes';
import { useStore } from '../../state/store';
import { Reachability } from './reachability';
import { TunnelStartForm } from './tunnel-start-form';
import './tunnel.css';

function isTunnelState(value: unknown): value is TunnelState {
  return typeof value === 'object' && value !== null && 'status' in value && 'provider' in value;
}

function isReachability(value: unknown): value is ReachabilityResult {
  return typeof value === 'object' && value !== null && 'hops' in value;
}

function checkOutcome(result: TunnelState | ReachabilityResult): Outcome {
  const reach = isReachability(result) ? result : result.reachability;
  return reach ? reachabilityOutcome(reach) : { kind: 'info', text: 'Checked; no result came back' };
}

function stopOutcome(result: TunnelState | ReachabilityResult): Outcome {
  return isTunnelState(result) ? tunnelStopOutcome(result) : { kind: 'info', text: 'Stop requested' };
}

export function TunnelView(): ReactElement {
  const app = useApp();
  const tunnel = useStore(app.workspace, (s) => s.tunnel);
  const error = useStore(app.workspace, (s) => s.errors.tunnel);
  const now = useNow();
  const [busy, setBusy] = useState<'start' | 'stop' | 'check' | null>(null);

  // A start still connecting when this view closes keeps its notice, settled from later tunnel states.
  const following = useRef<() => void>(() => {});
  useEffect(() => () => following.current(), []);

  /** Run an action; its notice says what the host answered, not what was asked. */
  const act = async (
    kind: 'stop' | 'check',
    work: () => Promise<unknown>,
    outcome: (result: TunnelState | ReachabilityResult) => Outcome,
  ) => {
    setBusy(kind);
    try {
      const result = await work();
      if (isTunnelState(result)) app.workspace.setTunnel(result);
      else if (isReachability(result)) app.workspace.setReachability(result);
      if (isTunnelState(result) || isReachability(result)) {
        const { kind: tone, text } = outcome(result);
        app.notices.push(tone, text);
      }
    } catch (err) {
      app.notices.push('error', describeError(err));
    } finally {
      setBusy(null);
    }
  };

  const start = async (body: TunnelStartRequest) => {
    setBusy('start');
    following.current();
    // Neutral until the host says how it went; then replaced by the outcome.
    const id = app.notices.push('info', 'Starting tunnel…', { sticky: true });
    try {
      const result = await app.client.startTunnel({ body });
      const state = isTunnelState(result) ? result : app.workspace.get().tunnel;
      if (isTunnelState(result)) app.workspace.setTunnel(result);
      if (state) following.current = settleTunnelStart(app.notices, app.workspace, id, state);
      else app.notices.settle(id, 'info', 'Start requested; the tunnel state follows in this view');
    } catch (err) {
      app.notices.settle(id, 'error', `Could not start the tunnel: ${describeError(err)}`);
    } finally {
      setBusy(null);
    }
  };

  const status = tunnel?.status ?? 'off';
  const running = status !== 'off';

  return (
    <div className="page" data-testid="tunnel-view">
      <div className="page-head">
        <div>
          <h1>Tunnel</h1>
          <p className="muted">
            Only the WOPI listener is exposed; the control API and this UI stay on 127.0.0.1.
          </p>
        </div>
        <div className="row-wrap">
          <Button
            icon="refresh"
            busy={busy === 'check'}
            disabled={!running}
            onClick={() => void act('check', () => app.client.checkTunnel(), checkOutcome)}
            data-testid="tunnel-check"
          >
            Check
          </Button>
          <Button
            variant="danger"
            icon="close"
            busy={busy === 'stop'}
            disabled={!running}
            onClick={() => void act('stop', () => app.client.stopTunnel(), stopOutcome)}
            data-testid="tunnel-stop"
          >
            Stop
          </Button>
        </div>
      </div>
      {error && !tunnel ? <div className="why">{error}</div> : null}
      {tunnel?.error ? (
        <div className="why" data-testid="tunnel-error">
          <Icon name="warn" /> {tunnel.error}
        </div>
      ) : null}
      {tunnel?.staleUrlsIssued ? (
        <div className="warning-box" data-testid="tunnel-stale">
          <Icon name="warn" /> Links and tokens handed out earlier carry the old public URL. Reopen files from
          Files to get working links.
        </div>
      ) : null}
      {tunnel && tunnel.warnings.length > 0 ? (
        <ul className="warning-box warnings" data-testid="tunnel-warnings">
          {tunnel.warnings.map((warning) => (
            <li key={warning}>
              <Icon name="warn" /> {warning}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="grid-2">
        <Panel title="State" testId="tunnel-state">
          <KeyValue
            rows={[
              {
                key: 'Status',
                value: (
                  <Badge tone={tunnelTone(tunnel?.status)} testId="tunnel-status">
                    <span data-status={status}>{status}</span>
                  </Badge>
                ),
              },
              { key: 'Provider', value: tunnel?.provider ?? 'none' },
              {
                key: 'Public URL',
                testId: 'tunnel-public-url-value',
                value: tunnel?.publicUrl ? (
                  <span className="hv">
                    <span className="mono hv-text">{tunnel.publicUrl}</span>
                    <CopyButton value={tunnel.publicUrl} title="Copy public URL" />
                    <Button
                      small
                      variant="ghost"
                      icon="external"
                      onClick={() => void openExternal(tunnel.publicUrl ?? '')}
                      aria-label="Open public URL"
                    />
                  </span>
                ) : (
                  <span className="muted">none: clients can't reach this host from the internet</span>
                ),
              },
              tunnel?.server ? { key: 'Server', value: tunnel.server, mono: true } : null,
              tunnel?.subdomain ? { key: 'Subdomain', value: tunnel.subdomain, mono: true } : null,
              tunnel ? { key: 'Since', value: formatAgo(tunnel.since, now) } : null,
              tunnel?.attempt ? { key: 'Attempt', value: String(tunnel.attempt) } : null,
            ]}
          />
        </Panel>
        <Panel title="Reachability" testId="tunnel-reachability">
          <Reachability result={tunnel?.reachability} />
        </Panel>
      </div>
      <Panel title={running ? 'Change tunnel' : 'Start a tunnel'}>
        <TunnelStartForm tunnel={tunnel} busy={busy === 'start'} onStart={(body) => void start(body)} />
      </Panel>
    </div>
  );
}

// Bottom bar: is the live stream healthy, what is being served, and where.
import type { ReactElement } from 'react';
import type { ConnectionState } from '../api/event-stream';
import { useApp } from '../state/app-context';
import { ROW_CAP } from '../state/request-log';
import { useStore } from '../state/store';
import { Dot, type Tone } from './badge';
import { formatCount } from './format';
import { useNow } from './use-now';

const CONNECTION: Record<ConnectionState, { tone: Tone; label: string }> = {
  connecting: { tone: 'info', label: 'Connecting…' },
  connected: { tone: 'success', label: 'Live' },
  reconnecting: { tone: 'warning', label: 'Reconnecting' },
  disconnected: { tone: 'danger', label: 'Disconnected' },
};

export function StatusBar(): ReactElement {
  const app = useApp();
  const info = useStore(app.connection, (s) => s);
  const status = useStore(app.workspace, (s) => s.status);
  const tunnel = useStore(app.workspace, (s) => s.tunnel);
  // Discovery carries the live profile's mode; the status snapshot is from page load.
  const proofMode = useStore(app.workspace, (s) => s.discovery?.proofMode ?? s.status?.proofMode);
  const log = useStore(app.requests, (s) => s);
  const now = useNow();
  const { tone, label } = CONNECTION[info.state];
  const retryIn = info.retryAt ? Math.max(0, Math.ceil((info.retryAt - now) / 1000)) : undefined;
  const publicUrl = tunnel?.publicUrl ?? status?.publicUrl;

  return (
    <footer className="statusbar">
      <div
        className={`conn conn-${info.state}`}
        data-testid="connection-status"
        data-state={info.state}
        title={info.detail ?? (info.lastSeq !== undefined ? `Last event #${info.lastSeq}` : undefined)}
      >
        <Dot tone={tone} pulse={info.state !== 'connected' && info.state !== 'disconnected'} />
        <span>{label}</span>
        {info.state !== 'connected' && info.detail ? (
          <span className="conn-detail">{info.detail}</span>
        ) : null}
        {retryIn !== undefined && info.state !== 'connected' ? (
          <span className="conn-detail">retry in {retryIn}s</span>
        ) : null}
        {info.state === 'reconnecting' || info.state === 'disconnected' ? (
          <button
            type="button"
            className="link-btn"
            data-testid="connection-retry"
            onClick={() => app.stream.retryNow()}
          >
            Retry now
          </button>
        ) : null}
      </div>
      <div className="sb-item" title={`Rows kept in this window (cap ${formatCount(ROW_CAP)})`}>
        <span data-testid="request-total">{formatCount(log.rows.length)} requests</span>
        {log.serverTotal > log.rows.length ? (
          <span className="sb-muted"> · {formatCount(log.serverTotal)} on host</span>
        ) : null}
        {log.paused ? (
          <strong className="sb-paused"> · paused ({formatCount(log.pending)} waiting)</strong>
        ) : null}
        {log.evicted > 0 ? (
          <span className="sb-muted"> · {formatCount(log.evicted)} oldest dropped</span>
        ) : null}
      </div>
      {status ? (
        <div className="sb-item sb-muted sb-ellipsis" title={status.folder}>
          {status.folder}
        </div>
      ) : null}
      <div className="sb-spacer" />
      {proofMode ? (
        <div className="sb-item sb-muted" title="Proof-key mode of the active client profile">
          proof: {proofMode}
        </div>
      ) : null}
      {publicUrl ? (
        <div className="sb-item sb-muted sb-ellipsis mono" title={`Public WOPI base URL: ${publicUrl}`}>
          {publicUrl}
        </div>
      ) : null}
      {status ? <div className="sb-item sb-muted">v{status.appVersion}</div> : null}
    </footer>
  );
}

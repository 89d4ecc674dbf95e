// The reachability doctor's hops: each step from the internet to this host, passed or not, and why.
import type { ReactElement } from 'react';
import type { ReachabilityResult } from '../../../server/contracts';
import { Badge } from '../../components/badge';
import { formatAgo } from '../../components/format';
import { Icon } from '../../components/icons';
import { useNow } from '../../components/use-now';

export function Reachability({ result }: { result: ReachabilityResult | undefined }): ReactElement {
  const now = useNow();
  if (!result) {
    return (
      <p className="muted small" data-testid="reachability-empty">
        Not checked yet. “Check” calls the public URL from outside-in: DNS, TLS, the tunnel, the WOPI
        listener, and whether the tunnel shows an interstitial page.
      </p>
    );
  }
  return (
    <div data-testid="reachability" data-ok={result.ok ? 'true' : 'false'}>
      <div className="reach-head">
        <Badge tone={result.ok ? 'success' : 'danger'}>{result.ok ? 'reachable' : 'not reachable'}</Badge>
        <span className="muted small">checked {formatAgo(result.checkedAt, now)}</span>
      </div>
      <ol className="stack-list hops">
        {result.hops.map((hop, i) => (
          <li
            key={`${hop.name}:${i}`}
            className={hop.ok ? 'hop-ok' : 'hop-fail'}
            data-testid="reachability-hop"
            data-ok={hop.ok}
          >
            <span className="hop-icon">
              <Icon name={hop.ok ? 'check' : 'close'} size={12} />
            </span>
            <span className="hop-name">{hop.name}</span>
            <span className="hop-detail">{hop.detail}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

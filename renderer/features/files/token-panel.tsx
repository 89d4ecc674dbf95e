// WOPISrc + access token for a persona, for pointing any WOPI client (or curl) at this file.
import { useState, type ReactElement } from 'react';
import type { FileView, TokenGrant } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { copyText } from '../../api/desktop';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { formatCountdown, formatDateTime } from '../../components/format';
import { KeyValue } from '../../components/panel';
import { useNow } from '../../components/use-now';
import { useApp } from '../../state/app-context';

function Expiry({ ttl }: { ttl: number }): ReactElement {
  const now = useNow();
  const left = ttl - now;
  return (
    <span>
      {formatDateTime(ttl)}{' '}
      <span className={left <= 0 ? 'tone-danger' : 'muted'}>
        ({left <= 0 ? 'expired' : `${formatCountdown(left)} left`})
      </span>
    </span>
  );
}

export function TokenPanel({ file, personaId }: { file: FileView; personaId: string }): ReactElement {
  const app = useApp();
  const [grant, setGrant] = useState<TokenGrant | null>(null);
  const [busy, setBusy] = useState(false);

  const mint = async (): Promise<TokenGrant | null> => {
    setBusy(true);
    try {
      const next = await app.client.mintToken({
        body: { fileId: file.id, personaId: personaId || undefined },
      });
      setGrant(next);
      return next;
    } catch (err) {
      app.notices.push('error', `Could not mint a token: ${describeError(err)}`);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const copyBoth = async () => {
    const next = await mint();
    if (!next) return;
    try {
      await copyText(
        `WOPISrc=${next.wopiSrc}\naccess_token=${next.accessToken}\naccess_token_ttl=${next.accessTokenTtl}`,
      );
      app.notices.push('success', 'Copied WOPISrc and a fresh access token');
    } catch (err) {
      app.notices.push('error', describeError(err));
    }
  };

  return (
    <div className="token-panel" data-testid="token-panel">
      <div className="row-wrap">
        <Button
          small
          variant="primary"
          icon="copy"
          busy={busy}
          onClick={() => void copyBoth()}
          data-testid="copy-wopisrc-token"
        >
          Copy WOPISrc + token
        </Button>
        <Button small icon="key" busy={busy} onClick={() => void mint()} data-testid="mint-token">
          Show new token
        </Button>
      </div>
      {grant ? (
        <KeyValue
          rows={[
            {
              key: 'WOPISrc',
              mono: true,
              testId: 'grant-wopisrc',
              value: (
                <span className="hv">
                  <span className="hv-text">{grant.wopiSrc}</span>
                  <CopyButton value={grant.wopiSrc} title="Copy WOPISrc" />
                </span>
              ),
            },
            {
              key: 'access_token',
              mono: true,
              testId: 'grant-token',
              value: (
                <span className="hv">
                  <span className="hv-text">{`${grant.accessToken.slice(0, 10)}…  (${grant.accessToken.length} chars)`}</span>
                  <CopyButton value={grant.accessToken} title="Copy access token" />
                </span>
              ),
            },
            { key: 'access_token_ttl', value: <Expiry ttl={grant.accessTokenTtl} /> },
          ]}
        />
      ) : (
        <p className="muted small">
          Tokens are scoped to this file and the chosen persona; <code>access_token_ttl</code> is an absolute
          expiry time, not a duration.
        </p>
      )}
    </div>
  );
}

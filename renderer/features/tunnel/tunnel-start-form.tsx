// Start a tunnel: localtunnel (shared or self-hosted server, optional subdomain) or a public URL you
// already route to this host (your own reverse proxy or relay).
import { useState, type ReactElement } from 'react';
import type { TunnelState } from '../../../server/contracts';
import type { TunnelStartRequest } from '../../../server/contracts';
import { Button } from '../../components/button';

export function TunnelStartForm({
  tunnel,
  busy,
  onStart,
}: {
  tunnel: TunnelState | null;
  busy: boolean;
  onStart: (body: TunnelStartRequest) => void;
}): ReactElement {
  const [provider, setProvider] = useState<TunnelStartRequest['provider']>(
    tunnel?.provider === 'public-url' ? 'public-url' : 'localtunnel',
  );
  const [server, setServer] = useState(tunnel?.server ?? '');
  const [subdomain, setSubdomain] = useState(tunnel?.subdomain ?? '');
  const [publicUrl, setPublicUrl] = useState(
    tunnel?.provider === 'public-url' ? (tunnel.publicUrl ?? '') : '',
  );
  const subdomainOk = subdomain === '' || /^[a-z0-9-]{4,63}$/.test(subdomain);
  const urlOk = /^https?:\/\/[^\s/]+/i.test(publicUrl);
  const valid = provider === 'localtunnel' ? subdomainOk : urlOk;

  const submit = () => {
    if (!valid) return;
    if (provider === 'public-url') onStart({ provider, publicUrl: publicUrl.trim() });
    else
      onStart({
        provider,
        ...(server.trim() ? { server: server.trim() } : {}),
        ...(subdomain ? { subdomain } : {}),
      });
  };

  return (
    <form
      className="tunnel-form"
      data-testid="tunnel-form"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="segmented" role="radiogroup" aria-label="Tunnel provider">
        {(['localtunnel', 'public-url'] as const).map((p) => (
          <button
            key={p}
            type="button"
            role="radio"
            aria-checked={provider === p}
            className={provider === p ? 'is-active' : ''}
            onClick={() => setProvider(p)}
            data-testid={`tunnel-provider-${p}`}
          >
            {p === 'localtunnel' ? 'localtunnel' : 'Public URL'}
          </button>
        ))}
      </div>
      {provider === 'localtunnel' ? (
        <div className="form-grid">
          <label>
            <span>Tunnel server</span>
            <input
              className="mono"
              placeholder="https://localtunnel.me (default)"
              value={server}
              onChange={(event) => setServer(event.target.value)}
              data-testid="tunnel-server"
            />
            <small className="muted">
              Office for the web only calls allow-listed domains: use a server on your own allow-listed
              wildcard domain. Collabora and ONLYOFFICE accept any public HTTPS host.
            </small>
          </label>
          <label>
            <span>Subdomain</span>
            <input
              className="mono"
              placeholder="random"
              value={subdomain}
              onChange={(event) => setSubdomain(event.target.value.toLowerCase())}
              data-testid="tunnel-subdomain"
              aria-invalid={!subdomainOk}
            />
            <small className={subdomainOk ? 'muted' : 'tone-danger'}>
              4–63 characters: a–z, 0–9 and “-”.
            </small>
          </label>
        </div>
      ) : (
        <div className="form-grid">
          <label className="span-2">
            <span>Public base URL</span>
            <input
              className="mono"
              placeholder="https://wopi.example.com"
              value={publicUrl}
              onChange={(event) => setPublicUrl(event.target.value)}
              data-testid="tunnel-public-url"
              aria-invalid={publicUrl !== '' && !urlOk}
            />
            <small className="muted">
              A URL that already reaches this host's WOPI listener (reverse proxy, relay). Proof keys are
              checked against it, so it must be exactly what the client calls.
            </small>
          </label>
        </div>
      )}
      <div className="row-wrap">
        <Button
          type="submit"
          variant="primary"
          icon="play"
          disabled={!valid}
          busy={busy}
          data-testid="tunnel-start"
        >
          {tunnel && tunnel.status !== 'off' ? 'Restart tunnel' : 'Start tunnel'}
        </Button>
      </div>
    </form>
  );
}

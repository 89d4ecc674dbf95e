// "Open in…": one button per discovery action for this file's extension, for a chosen client profile.
// The launch link is minted by the host (short-lived, signed) and opened in a new tab or the OS browser.
import { useState, type ReactElement } from 'react';
import type { FileView } from '../../../server/contracts';
import { describeError } from '../../api/control-client';
import { openExternal } from '../../api/desktop';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { useApp } from '../../state/app-context';
import { useStore } from '../../state/store';

export function OpenIn({ file, personaId }: { file: FileView; personaId: string }): ReactElement {
  const app = useApp();
  const status = useStore(app.workspace, (s) => s.status);
  const discovery = useStore(app.workspace, (s) => s.discovery);
  const profiles = useStore(app.workspace, (s) => s.profiles);
  const active = discovery?.profile ?? status?.clientProfile ?? '';
  const [profile, setProfile] = useState(active);
  const [busy, setBusy] = useState<string | null>(null);
  const [lastUrl, setLastUrl] = useState<string | null>(null);

  const chosen = profile || active;
  const ext = file.extension.replace(/^\./, '').toLowerCase();
  // Discovery is only known for the active profile; other profiles get the host's default action.
  const actions =
    chosen === active && discovery
      ? [...new Set(discovery.actions.filter((a) => a.ext.toLowerCase() === ext).map((a) => a.name))]
      : [];

  const launch = async (action: string | undefined) => {
    setBusy(action ?? 'default');
    try {
      const link = await app.client.launch({
        body: {
          fileId: file.id,
          action,
          personaId: personaId || undefined,
          profile: chosen || undefined,
        },
      });
      setLastUrl(link.url);
      await openExternal(link.url);
    } catch (err) {
      app.notices.push('error', `Could not open ${file.name}: ${describeError(err)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="open-in" data-testid="open-in">
      <div className="row-wrap">
        <label className="field-inline">
          <span>Client</span>
          <select
            value={chosen}
            onChange={(event) => setProfile(event.target.value)}
            data-testid="profile-select"
            aria-label="Client profile"
          >
            {profiles.length === 0 && active ? <option value={active}>{active}</option> : null}
            {profiles.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
                {p.id === active ? ' (active)' : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row-wrap">
        {actions.length > 0 ? (
          actions.map((action) => (
            <Button
              key={action}
              small
              variant={action === 'edit' ? 'primary' : 'default'}
              icon="external"
              busy={busy === action}
              onClick={() => void launch(action)}
              data-testid={`open-action-${action}`}
              data-action={action}
            >
              {action}
            </Button>
          ))
        ) : (
          <Button
            small
            variant="primary"
            icon="external"
            busy={busy === 'default'}
            onClick={() => void launch(undefined)}
            data-testid="open-action-default"
          >
            Open
          </Button>
        )}
      </div>
      {chosen === active && discovery && actions.length === 0 ? (
        <p className="muted small">
          Discovery for <strong>{active}</strong> lists no action for <code>.{ext || '(none)'}</code>; the
          host will pick its default.
        </p>
      ) : null}
      {lastUrl ? (
        <div className="launch-url">
          <span className="mono" data-testid="launch-url">
            {lastUrl}
          </span>
          <CopyButton value={lastUrl} title="Copy launch link" />
        </div>
      ) : null}
    </div>
  );
}

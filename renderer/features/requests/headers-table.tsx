// Header list with redacted values marked; "Reveal" refetches the record with secrets in clear.
import type { ReactElement } from 'react';
import { CopyButton } from '../../components/copy-button';

/** The host replaces secrets with a placeholder; recognise the usual spellings of one. */
export function isRedacted(value: string): boolean {
  return /redacted/i.test(value) || /^[*•]{3,}/.test(value) || /^<hidden>$/i.test(value);
}

export function HeadersTable({
  headers,
  onReveal,
  testId,
}: {
  headers: Record<string, string>;
  onReveal?: () => void;
  testId: string;
}): ReactElement {
  const entries = Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted small">No headers recorded.</p>;
  return (
    <table className="headers" data-testid={testId}>
      <tbody>
        {entries.map(([name, value]) => {
          const redacted = isRedacted(value);
          return (
            <tr key={name} data-header={name.toLowerCase()} data-redacted={redacted ? 'true' : undefined}>
              <th scope="row" className="mono">
                {name}
              </th>
              <td className="mono">
                {redacted ? (
                  <span className="redacted">
                    <span className="muted">{value}</span>
                    {onReveal ? (
                      <button
                        type="button"
                        className="link-btn"
                        data-testid="reveal-header"
                        onClick={onReveal}
                      >
                        Reveal
                      </button>
                    ) : null}
                  </span>
                ) : (
                  <span className="hv">
                    <span className="hv-text">{value}</span>
                    {value.length > 24 ? <CopyButton value={value} title={`Copy ${name}`} /> : null}
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

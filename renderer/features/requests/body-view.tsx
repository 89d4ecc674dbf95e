// A request or response body as the host summarised it: JSON pretty-printed and coloured, text as is,
// binary as size + SHA-256 (the log never keeps binary bytes).
import type { ReactElement } from 'react';
import type { BodySummary } from '../../../server/contracts';
import { Badge } from '../../components/badge';
import { CopyButton } from '../../components/copy-button';
import { formatBytes } from '../../components/format';
import { highlightJson } from '../../components/json';

function prettyJson(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return null;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return null;
  }
}

export function BodyView({ body, testId }: { body: BodySummary | undefined; testId: string }): ReactElement {
  if (!body || (body.size === 0 && !body.text)) {
    return (
      <p className="muted small" data-testid={testId} data-body="empty">
        No body.
      </p>
    );
  }
  const pretty = body.text !== undefined ? prettyJson(body.text) : null;
  const meta = (
    <div className="body-meta">
      <Badge tone="neutral">{formatBytes(body.size)}</Badge>
      {body.contentType ? <span className="mono muted">{body.contentType}</span> : null}
      {body.sha256 ? (
        <span className="mono muted body-sha" title={body.sha256}>
          SHA-256 {body.sha256.slice(0, 16)}…
        </span>
      ) : null}
      {body.sha256 ? <CopyButton value={body.sha256} title="Copy SHA-256" /> : null}
      {body.truncated ? <Badge tone="warning">truncated</Badge> : null}
    </div>
  );

  if (body.text === undefined) {
    return (
      <div className="body-view" data-testid={testId} data-body="binary">
        {meta}
        <p className="muted small">
          Binary content, not kept in the log. Compare it by size and SHA-256 with the file's versions.
        </p>
      </div>
    );
  }
  return (
    <div className="body-view" data-testid={testId} data-body={pretty ? 'json' : 'text'}>
      {meta}
      <pre className="code">{pretty ? highlightJson(pretty) : body.text}</pre>
    </div>
  );
}

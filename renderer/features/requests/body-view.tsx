// A request or response body as the host summarised it: JSON pretty-printed and coloured, text as is,
// otherwise size, content type and SHA-256 (the log never keeps file bytes). "No body." only when the
// call really had none: a body the host did not read (refused before reading it) is said to be so.
import type { ReactElement } from 'react';
import type { BodySummary } from '../../../server/contracts';
import { Badge } from '../../components/badge';
import { CopyButton } from '../../components/copy-button';
import { formatBytes, formatCount } from '../../components/format';
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

function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** What the headers announce: a byte count (or chunked, size unknown) and a content type. */
export function announcedBody(headers: Record<string, string>): {
  length: number | 'chunked' | undefined;
  contentType: string | undefined;
} {
  const raw = header(headers, 'content-length');
  const n = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
  const chunked = /chunked/i.test(header(headers, 'transfer-encoding') ?? '');
  return { length: n ?? (chunked ? 'chunked' : undefined), contentType: header(headers, 'content-type') };
}

export function BodyView({
  body,
  headers,
  side,
  testId,
}: {
  body: BodySummary | undefined;
  /** The same message's headers: they say whether a body was sent that the log has no summary of. */
  headers: Record<string, string>;
  side: 'request' | 'response';
  testId: string;
}): ReactElement {
  const announced = announcedBody(headers);
  if (!body || (body.size === 0 && !body.text)) {
    const sent = announced.length === 'chunked' || (announced.length !== undefined && announced.length > 0);
    if (!body && sent) {
      const size =
        announced.length === 'chunked'
          ? 'A body (chunked, size unknown)'
          : `${formatBytes(announced.length as number)} (${formatCount(announced.length as number)} bytes)`;
      return (
        <div className="body-view" data-testid={testId} data-body="unread">
          <div className="body-meta">
            <Badge tone="warning">{side === 'request' ? 'not read' : 'not summarised'}</Badge>
            {announced.contentType ? <span className="mono muted">{announced.contentType}</span> : null}
          </div>
          <p className="small">
            {side === 'request'
              ? `${size} was sent, going by its headers, but the host answered before reading it, so the log has no size check or SHA-256 of it.`
              : `${size} was sent, going by its headers; the log kept no summary of it.`}
          </p>
        </div>
      );
    }
    return (
      <p className="muted small" data-testid={testId} data-body="empty">
        No body.
      </p>
    );
  }
  const pretty = body.text !== undefined ? prettyJson(body.text) : null;
  const contentType = body.contentType ?? announced.contentType;
  const meta = (
    <div className="body-meta" data-testid={`${testId}-meta`}>
      <Badge tone="neutral">{formatBytes(body.size)}</Badge>
      <span className="muted small" data-testid={`${testId}-size`}>
        {formatCount(body.size)} byte{body.size === 1 ? '' : 's'}
      </span>
      {contentType ? (
        <span className="mono muted" data-testid={`${testId}-type`}>
          {contentType}
        </span>
      ) : null}
      {body.truncated ? <Badge tone="warning">truncated</Badge> : null}
    </div>
  );
  const sha = body.sha256 ? (
    <div className="body-sha" data-testid={`${testId}-sha256`}>
      <span className="muted small">SHA-256</span>
      <span className="mono body-sha-value">{body.sha256}</span>
      <CopyButton value={body.sha256} title="Copy SHA-256" />
    </div>
  ) : null;

  if (body.text === undefined) {
    return (
      <div className="body-view" data-testid={testId} data-body="summary">
        {meta}
        {sha}
        <p className="muted small">
          The content itself is not kept in the log (file bytes never are). Compare it by size and SHA-256
          with the file and its versions in Files.
        </p>
      </div>
    );
  }
  return (
    <div className="body-view" data-testid={testId} data-body={pretty ? 'json' : 'text'}>
      {meta}
      {sha}
      <pre className="code">{pretty ? highlightJson(pretty) : body.text}</pre>
    </div>
  );
}

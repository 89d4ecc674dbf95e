// How much of a JSON answer a request record keeps for the protocol linter. CheckFileInfo and
// PutRelativeFile answers are judged on their properties, so their records keep the JSON text up to
// this size even when the log's inline limit (logBodyInlineBytes) is smaller; a larger answer is cut
// and marked truncated, and the rules that need it say nothing.
import type { WopiOperation } from '../contracts/api';

export const LINTED_JSON_MAX_BYTES = 1024 * 1024;

export const LINTED_JSON_OPERATIONS: ReadonlySet<WopiOperation> = new Set<WopiOperation>([
  'CheckFileInfo',
  'PutRelativeFile',
]);

/** The inline text limit of a response body of `operation`. */
export function inlineLimitFor(operation: WopiOperation, logBodyInlineBytes: number): number {
  return LINTED_JSON_OPERATIONS.has(operation)
    ? Math.max(logBodyInlineBytes, LINTED_JSON_MAX_BYTES)
    : logBodyInlineBytes;
}

/** JSON or text (kept inline, readable); anything else is binary (summarised by size and SHA-256). */
export function isTextType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const t = contentType.toLowerCase();
  return (
    t.includes('json') || t.startsWith('text/') || t.includes('xml') || t.includes('x-www-form-urlencoded')
  );
}

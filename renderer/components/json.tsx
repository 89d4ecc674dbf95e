// JSON shown as code: keys, strings, numbers and literals coloured (request bodies, PostMessage values).
import type { ReactNode } from 'react';

const TOKEN = /("(?:[^"\\]|\\.)*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** Colour keys, strings, numbers and literals of already-pretty JSON. */
export function highlightJson(json: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let n = 0;
  for (const match of json.matchAll(TOKEN)) {
    const at = match.index;
    if (at > last) out.push(json.slice(last, at));
    const [whole, str, colon, literal, num] = match;
    if (str !== undefined) {
      out.push(
        <span key={n++} className={colon ? 'j-key' : 'j-str'}>
          {str}
        </span>,
      );
      if (colon) out.push(colon);
    } else if (literal !== undefined) {
      out.push(
        <span key={n++} className="j-lit">
          {literal}
        </span>,
      );
    } else if (num !== undefined) {
      out.push(
        <span key={n++} className="j-num">
          {num}
        </span>,
      );
    }
    last = at + whole.length;
  }
  if (last < json.length) out.push(json.slice(last));
  return out;
}

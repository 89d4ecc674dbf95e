// Console text that cannot drive the terminal. Console lines carry what requests sent (the file id from
// the URL, names, an unknown override quoted in a reason), and anyone who reaches the tunnel sends
// those. Raw, ESC and BEL would set the window title or move the cursor, C1 controls act the same
// (U+009B is CSI), line breaks would forge log lines and bidi controls would reorder what is shown. So
// each is printed as a visible escape instead.

// eslint-disable-next-line no-control-regex -- the control characters are exactly what is matched
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g;

const hex = (c: string, width: number): string => c.charCodeAt(0).toString(16).padStart(width, '0');

/** One human console line: C0/C1 controls as \xHH, the other invisible controls as \uHHHH. */
export function consoleSafe(line: string): string {
  return line.replace(UNSAFE, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/**
 * A JSON text with the same characters as \uHHHH escapes: the same value for a JSON reader, nothing for
 * a terminal to act on. JSON.stringify already escapes C0; DEL, C1 and the rest it leaves raw. Outside
 * strings JSON text is plain ASCII, so replacing throughout only touches string contents.
 */
export function jsonConsoleSafe(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${hex(c, 4)}`);
}

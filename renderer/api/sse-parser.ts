// Incremental text/event-stream parser (WHATWG "event stream interpretation"), fed by fetch chunks.
// EventSource can't send an Authorization header, so the stream is read by hand.

export interface SseMessage {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private retry: number | undefined;
  /** A chunk ending in CR may be the first half of CRLF. */
  private pendingCR = false;
  /** Comment lines seen (": ping" heartbeats): tells whether silence means a dead connection. */
  comments = 0;

  feed(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.pendingCR) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.pendingCR = false;
    }
    this.buffer += text;
    const out: SseMessage[] = [];
    // A native regex scan: a busy stream carries megabytes, a char-by-char loop shows up in profiles.
    const breaks = /\r\n|\r|\n/g;
    let start = 0;
    for (let m = breaks.exec(this.buffer); m; m = breaks.exec(this.buffer)) {
      this.line(this.buffer.slice(start, m.index), out);
      start = m.index + m[0].length;
      if (m[0] === '\r' && start === this.buffer.length) this.pendingCR = true;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0) {
        const message: SseMessage = { event: this.event || 'message', data: this.data.join('\n') };
        if (this.id !== undefined) message.id = this.id;
        if (this.retry !== undefined) message.retry = this.retry;
        out.push(message);
      }
      this.data = [];
      this.event = '';
      this.retry = undefined;
      return;
    }
    if (line.startsWith(':')) {
      this.comments++;
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        break;
    }
  }
}

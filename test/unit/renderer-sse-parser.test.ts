// renderer/api/sse-parser.ts: the WHATWG event-stream rules the UI relies on, fed in arbitrary chunks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseParser, type SseMessage } from '../../renderer/api/sse-parser';

/** Feed a stream in the given pieces, collecting every message. */
function parse(...chunks: string[]): { messages: SseMessage[]; parser: SseParser } {
  const parser = new SseParser();
  const messages = chunks.flatMap((chunk) => parser.feed(chunk));
  return { messages, parser };
}

const STREAM =
  ': connected\n\n' +
  'id: 1\nevent: request:completed\ndata: {"seq":1}\n\n' +
  ': ping\n\n' +
  'id: 2\nevent: lock:changed\ndata: {"seq":2}\n\n';

void describe('SseParser', () => {
  void it('yields each event with its name, data and id, and counts comment lines', () => {
    const { messages, parser } = parse(STREAM);
    assert.deepEqual(messages, [
      { event: 'request:completed', data: '{"seq":1}', id: '1' },
      { event: 'lock:changed', data: '{"seq":2}', id: '2' },
    ]);
    assert.equal(parser.comments, 2);
  });

  void it('gives the same result whatever the chunk boundaries, one character at a time included', () => {
    const whole = parse(STREAM).messages;
    assert.deepEqual(parse(...STREAM.split('')).messages, whole);
    for (let cut = 1; cut < STREAM.length; cut += 7) {
      assert.deepEqual(parse(STREAM.slice(0, cut), STREAM.slice(cut)).messages, whole, `cut at ${cut}`);
    }
  });

  void it('accepts CRLF and lone CR line ends, a CRLF split across chunks included', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    assert.deepEqual(parse(crlf).messages, parse(STREAM).messages);
    assert.deepEqual(parse(STREAM.replaceAll('\n', '\r')).messages, parse(STREAM).messages);
    const { messages } = parse('data: a\r', '\ndata: b\r', '\n\r', '\n');
    assert.deepEqual(
      messages,
      [{ event: 'message', data: 'a\nb' }],
      'no phantom blank line between CR and LF',
    );
  });

  void it('joins multi-line data with newlines and defaults the event name to "message"', () => {
    const { messages } = parse('data: first\ndata:second\ndata\n\n');
    assert.deepEqual(messages, [{ event: 'message', data: 'first\nsecond\n' }]);
  });

  void it('strips exactly one space after the colon', () => {
    const { messages } = parse('data:  two spaces\n\n');
    assert.equal(messages[0]?.data, ' two spaces');
  });

  void it('dispatches nothing for a block without data, and resets the event name after each block', () => {
    const { messages } = parse('event: lonely\n\n', 'data: x\n\n');
    assert.deepEqual(messages, [{ event: 'message', data: 'x' }]);
  });

  void it('keeps the last id for later events, ignores ids with NUL, and reads a numeric retry', () => {
    const { messages } = parse(
      'id: 7\ndata: a\n\n',
      'id: bad\0id\ndata: b\nretry: 1500\n\n',
      'retry: soon\ndata: c\n\n',
    );
    assert.deepEqual(messages, [
      { event: 'message', data: 'a', id: '7' },
      { event: 'message', data: 'b', id: '7', retry: 1500 },
      { event: 'message', data: 'c', id: '7' },
    ]);
  });

  void it('holds back an unfinished event until its blank line arrives', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.feed('id: 3\nevent: x\ndata: {"partial":'), []);
    assert.deepEqual(parser.feed('true}\n'), []);
    assert.deepEqual(parser.feed('\n'), [{ event: 'x', data: '{"partial":true}', id: '3' }]);
  });

  void it('ignores unknown fields', () => {
    const { messages } = parse('foo: bar\ndata: y\n\n');
    assert.deepEqual(messages, [{ event: 'message', data: 'y' }]);
  });
});

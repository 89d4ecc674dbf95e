// Console output of a headless run. Every line goes through the redactor, whatever event or field
// it was made from; the one exception is the ready block, whose purpose is to hand the person the
// control token (in the inspector URL).
import type { Engine, ReadyInfo } from '../engine';
import type { AnyEventEnvelope, EventMap, EventType } from '../contracts/events';
import { redact, redactEnvelope, redactText } from '../events/redact';

export interface PrinterOptions {
  json: boolean;
  quiet: boolean;
  /** Where lines go (without their newline); stdout by default. */
  write?: (line: string) => void;
}

export function attachPrinter(wb: Engine, o: PrinterOptions) {
  const out =
    o.write ??
    ((s: string): void => {
      process.stdout.write(`${s}\n`);
    });
  const line = (obj: object, text: string): void =>
    out(o.json ? JSON.stringify(redact(obj)) : redactText(text));
  // Lines are made from redacted events, and redacted again as text (separators may join pieces).
  const on = <K extends EventType>(type: K, fn: (data: EventMap[K]) => void): void => {
    wb.bus.on(type, (env) => fn(redactEnvelope(env as AnyEventEnvelope).data as EventMap[K]));
  };
  if (!o.quiet) {
    on('request:completed', (r) => {
      const lock =
        r.lockBefore !== undefined || r.lockAfter !== undefined
          ? ` lock ${r.lockBefore ?? '∅'} → ${r.lockAfter ?? '∅'}`
          : '';
      line(
        {
          event: 'request',
          id: r.id,
          operation: r.operation,
          status: r.status,
          fileId: r.fileId,
          path: r.filePath,
          durationMs: r.durationMs,
          why: r.why,
          proof: r.proof?.outcome,
        },
        `${new Date(r.startedAt).toISOString().slice(11, 23)} ${String(r.status)} ${r.operation.padEnd(16)} ${r.filePath ?? r.fileId ?? r.path} ${r.durationMs.toFixed(1)}ms${lock}${r.why ? ` — ${r.why}` : ''}`,
      );
    });
    // A reconnect attempt emits a state when it starts and when it fails; on the console the two read
    // the same, so a line is printed only when it says something new (JSON keeps every state).
    let lastTunnelText = '';
    on('tunnel:changed', (t) => {
      const text = `Tunnel ${t.status}${t.publicUrl ? ` ${t.publicUrl}` : ''}${t.error ? ` — ${t.error}` : ''}`;
      if (!o.json && text === lastTunnelText) return;
      lastTunnelText = text;
      line({ event: 'tunnel', ...t }, text);
    });
    on('engine:warning', (data) => line({ event: 'warning', ...data }, `Warning: ${data.message}`));
  }
  return {
    line,
    ready(r: ReadyInfo): void {
      if (o.json) {
        out(JSON.stringify({ event: 'ready', ...r }));
        return;
      }
      out(
        [
          'WOPI Workbench is running.',
          `  Folder:      ${wb.options.folder}`,
          `  WOPI host:   ${r.wopiUrl}/wopi/files/<id>`,
          // Same as the local URL: nothing outside this machine can reach it yet; say how to fix that.
          `  Public URL:  ${r.publicUrl}${r.publicUrl === r.wopiUrl ? '  (local only: --tunnel or --public-url publishes it)' : ''}`,
          `  Inspector:   ${r.uiUrl}`,
          `  Data dir:    ${wb.options.dataDir}`,
          '  Press Ctrl-C to stop.',
        ].join('\n'),
      );
    },
  };
}

// Console output of a headless run. Every line goes through the redactor, whatever event or field
// it was made from; the one exception is the ready block, whose purpose is to hand the person the
// control token (in the inspector URL).
// The ready line (or block) is always the first thing printed: events that happen while the run
// starts (a tunnel connecting, a warning) are held and printed right after it.
import type { TunnelState } from '../contracts/api';
import type { AnyEventEnvelope, EventMap, EventType } from '../contracts/events';
import type { Workbench, ReadyInfo } from '../workbench';
import { redact, redactEnvelope, redactText } from '../events/redact';
import { consoleSafe, jsonConsoleSafe } from './console-safe';
import { publicUrlLines, tunnelLine } from './tunnel-text';

export interface ReadyExtras {
  /** The tunnel state when a tunnel or public URL was asked for; null otherwise. */
  tunnel: TunnelState | null;
  /** The served folder is the sample copy (say so, and that edits stay there). */
  sampleCopy: boolean;
  /** Fault rules: how many are active (enabled, not spent) and how many there are. */
  faults?: { active: number; total: number };
}

export interface PrinterOptions {
  json: boolean;
  quiet: boolean;
  /** Where lines go (without their newline); stdout by default. */
  write?: (line: string) => void;
}

export function attachPrinter(wb: Workbench, o: PrinterOptions) {
  let held: string[] | null = [];
  const print =
    o.write ??
    ((s: string): void => {
      process.stdout.write(`${s}\n`);
    });
  // Every line leaves through here, made safe for a terminal whatever request data it quotes.
  const write = (s: string): void => print(o.json ? jsonConsoleSafe(s) : consoleSafe(s));
  const out = (s: string): void => {
    if (held) held.push(s);
    else write(s);
  };
  /** Prints what was held; from now on lines go straight out. */
  const release = (): void => {
    const lines = held ?? [];
    held = null;
    for (const s of lines) write(s);
  };
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
    // Starts as "off", so stopping a run that never had a tunnel prints nothing about one.
    let lastTunnelText = tunnelLine({ provider: 'none', status: 'off', since: 0, warnings: [] });
    on('tunnel:changed', (t) => {
      const text = tunnelLine(t);
      if (!o.json && text === lastTunnelText) return;
      lastTunnelText = text;
      // Before ready, the console's ready block tells the tunnel's state itself.
      if (!o.json && held) return;
      line({ event: 'tunnel', ...t }, text);
    });
    on('engine:warning', (data) => line({ event: 'warning', ...data }, `Warning: ${data.message}`));
  }
  return {
    line,
    /** Prints anything held back (the run stops before it got ready). */
    release,
    ready(r: ReadyInfo, extras: ReadyExtras): void {
      const { folder, dataDir } = wb.options;
      if (o.json) {
        const tunnel = extras.tunnel
          ? { status: extras.tunnel.status, provider: extras.tunnel.provider, error: extras.tunnel.error }
          : undefined;
        write(
          JSON.stringify({
            event: 'ready',
            ...r,
            folder,
            dataDir,
            ...(extras.sampleCopy ? { sampleCopy: true } : {}),
            ...(tunnel ? { tunnel } : {}),
            ...(extras.faults ? { faultRules: extras.faults.active } : {}),
          }),
        );
      } else {
        // One block (one write), each of its lines made safe on its own.
        print(
          [
            'WOPI Workbench is running.',
            `  Folder:      ${folder}`,
            ...(extras.sampleCopy
              ? ['               (a copy of the bundled samples: edit freely; delete it to start afresh)']
              : []),
            ...(r.upstream
              ? [
                  `  WOPI proxy:  ${r.wopiUrl}/wopi/files/<id>`,
                  `               proxies every request to ${r.upstream} (recorded and linted)`,
                ]
              : [`  WOPI host:   ${r.wopiUrl}/wopi/files/<id>`]),
            ...publicUrlLines(r.publicUrl, r.wopiUrl, extras.tunnel),
            `  Inspector:   ${r.uiUrl}`,
            `  Control API: ${r.controlUrl}`,
            ...(r.simulatorDiscoveryUrl
              ? [
                  `  Simulator:   ${r.simulatorDiscoveryUrl}  (discovery of the simulated client; check --sign)`,
                ]
              : []),
            `  Data dir:    ${dataDir}`,
            ...(extras.faults && extras.faults.total > 0
              ? [
                  `  Fault rules: ${extras.faults.active} active of ${extras.faults.total} (injected answers are tagged in the log)`,
                ]
              : []),
            '  Press Ctrl-C to stop.',
          ]
            .map(consoleSafe)
            .join('\n'),
        );
      }
      release();
    },
  };
}

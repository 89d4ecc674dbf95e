// Runs the engine for the desktop shell.
//
// Decision: in-process (the engine lives in Electron's main process), not a utility process.
// - The engine is a factory with no globals and a stop() that finishes writes, closes the tunnel
//   and SQLite in order; awaiting it directly is the simplest clean shutdown (no soft-then-hard kill).
// - The UI already talks to the engine over the control API (HTTP + SSE), never through main, so
//   the window does not depend on where the engine runs; moving it later only changes this file.
// - It is the one variant that can be exercised here without an Electron binary (this module is
//   plain Node and is tested against the real engine).
// Cost: heavy engine work shares main's event loop. PutFile bodies stream to disk asynchronously
// and SQLite calls are short, so window responsiveness should hold; if it does not, run
// engine-entry in utilityProcess.fork() and keep this interface.
import type { AnyEventEnvelope, EventMap, EventType } from '../server/contracts';
import { createWorkbench, redactEnvelope } from './engine-entry';
import type { ReadyInfo, WorkbenchOptions } from './engine-entry';

export interface RunningEngine {
  readonly folder: string;
  readonly info: ReadyInfo;
  /** Subscribes to one engine event, redacted (it feeds OS notifications); returns the unsubscribe function. */
  on<K extends EventType>(type: K, listener: (data: EventMap[K]) => void): () => void;
  /** The base URL WOPI clients use now (changes when a tunnel opens or closes). */
  publicUrl(): string;
  /** Finishes in-flight writes, closes the tunnel, listeners and SQLite. Idempotent. */
  stop(): Promise<void>;
}

export async function startEngine(options: WorkbenchOptions): Promise<RunningEngine> {
  const wb = createWorkbench(options);
  let info: ReadyInfo;
  try {
    info = await wb.start();
  } catch (e) {
    // A half-started engine may hold a port or the database: release them before reporting.
    await wb.stop().catch(() => undefined);
    throw e;
  }
  return {
    folder: wb.options.folder,
    info,
    // Redacted like every other exit: a proof reason, say, quotes the URL with its access token.
    on: (type, listener) =>
      wb.bus.on(type, (envelope) =>
        listener(redactEnvelope(envelope as AnyEventEnvelope).data as EventMap[typeof type]),
      ),
    publicUrl: () => wb.publicBase(),
    stop: () => wb.stop(),
  };
}

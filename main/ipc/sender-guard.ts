// The one wrapper every ipcMain.handle goes through: it checks who is calling (live main frame of
// the app origin) and what they sent (per-channel validators) before the handler runs. Structurally
// typed against Electron's IpcMainInvokeEvent so it is tested without Electron.
import { IPC_PREFIX } from './contract';
import type { IpcArgs, IpcChannelName, IpcResults } from './contract';
import { argValidators } from './validate-args';
import { originOf } from '../security/navigation';

export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
  isDestroyed(): boolean;
  readonly detached?: boolean;
}

export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null;
}

export type SenderCheck = { ok: true } | { ok: false; reason: string };

export function checkSender(event: InvokeEventLike, trustedOrigin: string | null): SenderCheck {
  const frame = event.senderFrame;
  // Null when the frame navigated away or was destroyed after sending.
  if (!frame) return { ok: false, reason: 'sender frame is gone' };
  if (frame.isDestroyed() || frame.detached === true)
    return { ok: false, reason: 'sender frame is destroyed' };
  if (frame.parent !== null) return { ok: false, reason: 'sender is not the main frame' };
  if (trustedOrigin === null) return { ok: false, reason: 'no trusted origin yet' };
  if (originOf(frame.url) !== trustedOrigin)
    return { ok: false, reason: 'sender origin is not the app origin' };
  return { ok: true };
}

/** The error the renderer sees: Electron forwards only the message of a thrown error. */
export class IpcRejected extends Error {
  constructor(
    readonly channel: string,
    readonly reason: string,
  ) {
    super(`${channel} refused: ${reason}`);
    this.name = 'IpcRejected';
  }
}

export type IpcImplementation<C extends IpcChannelName, E> = (
  args: IpcArgs[C],
  event: E,
) => Promise<IpcResults[C]> | IpcResults[C];

export interface GuardOptions {
  /** Read per call: the app origin changes when the engine restarts on another port. */
  trustedOrigin: () => string | null;
  /** Told about every refusal (for the log); never about the arguments themselves. */
  onRejected?: (channel: string, reason: string) => void;
}

export function guardedHandler<C extends IpcChannelName, E extends InvokeEventLike>(
  channel: C,
  impl: IpcImplementation<C, E>,
  opts: GuardOptions,
): (event: E, ...args: unknown[]) => Promise<IpcResults[C]> {
  if (!channel.startsWith(IPC_PREFIX))
    throw new Error(`IPC channel ${channel} lacks the ${IPC_PREFIX} prefix`);
  const validate = argValidators[channel];
  return async (event, ...args) => {
    const sender = checkSender(event, opts.trustedOrigin());
    if (!sender.ok) {
      opts.onRejected?.(channel, sender.reason);
      throw new IpcRejected(channel, sender.reason);
    }
    const checked = validate(args);
    if (!checked.ok) {
      opts.onRejected?.(channel, checked.reason);
      throw new IpcRejected(channel, checked.reason);
    }
    return impl(checked.value, event);
  };
}

// Argument validators per IPC channel. The renderer is untrusted input: each validator returns the
// typed arguments or a reason, and nothing reaches a handler without passing here.
import path from 'node:path';
import { safeExternalUrl } from '../security/navigation';
import type { IpcArgs, IpcChannelName } from './contract';

export type ArgCheck<T> = { ok: true; value: T } | { ok: false; reason: string };
export type ArgValidator<C extends IpcChannelName> = (args: readonly unknown[]) => ArgCheck<IpcArgs[C]>;

export const MAX_PATH_LENGTH = 4096;
export const MAX_COPY_LENGTH = 1024 * 1024;

const arity = (args: readonly unknown[], n: number): string | null =>
  args.length === n ? null : `expected ${n} argument(s), got ${args.length}`;

function plainString(v: unknown, max: number, what: string): ArgCheck<string> {
  if (typeof v !== 'string') return { ok: false, reason: `${what} must be a string` };
  if (v.length > max) return { ok: false, reason: `${what} is longer than ${max} characters` };
  return { ok: true, value: v };
}

export const argValidators: { [C in IpcChannelName]: ArgValidator<C> } = {
  'wb:pick-folder': (args) => {
    const bad = arity(args, 0);
    return bad ? { ok: false, reason: bad } : { ok: true, value: [] };
  },
  'wb:reveal-file': (args) => {
    const bad = arity(args, 1);
    if (bad) return { ok: false, reason: bad };
    const p = plainString(args[0], MAX_PATH_LENGTH, 'path');
    if (!p.ok) return p;
    if (p.value === '' || p.value.includes('\0'))
      return { ok: false, reason: 'path is empty or has a NUL byte' };
    return { ok: true, value: [p.value] };
  },
  'wb:open-external': (args) => {
    const bad = arity(args, 1);
    if (bad) return { ok: false, reason: bad };
    const url = safeExternalUrl(args[0]);
    return url ? { ok: true, value: [url] } : { ok: false, reason: 'only http(s) URLs without credentials' };
  },
  'wb:copy-text': (args) => {
    const bad = arity(args, 1);
    if (bad) return { ok: false, reason: bad };
    const t = plainString(args[0], MAX_COPY_LENGTH, 'text');
    return t.ok ? { ok: true, value: [t.value] } : t;
  },
};

/**
 * Resolves a renderer-supplied path against the served folder and refuses anything outside it,
 * so "reveal" cannot be used to probe the rest of the disk. Returns the absolute path or null.
 */
export function resolveInsideFolder(root: string, requested: string): string | null {
  const base = path.resolve(root);
  // FileView paths use forward slashes on every OS.
  const candidate = path.resolve(base, requested.split('/').join(path.sep));
  const rel = path.relative(base, candidate);
  if (rel === '') return candidate;
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return null;
  return candidate;
}

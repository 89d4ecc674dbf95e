// Command-line flags of the desktop app, named like `wopi-workbench serve`'s so both shells read the
// same. Pure: no Electron, so tests import it directly. Chromium and Electron add their own switches
// (also to a second instance's argv), so unknown `--switches` are ignored rather than rejected.
import type { ProofMode } from '../server/contracts';

export interface DesktopArgs {
  /** Folder to serve; a bare positional path counts too ("WOPI Workbench ~/docs"). */
  folder?: string;
  dataDir?: string;
  /** Overrides Electron's userData folder (tests use a temp one per run). */
  userDataDir?: string;
  host?: string;
  wopiPort?: number;
  controlPort?: number;
  publicUrl?: string;
  client?: string;
  discoveryUrl?: string;
  proof?: ProofMode;
  /** Open a tunnel at launch (the tray toggles it later). */
  tunnel?: boolean;
  tunnelServer?: string;
  subdomain?: string;
}

export interface ParsedArgs {
  args: DesktopArgs;
  /** One sentence per bad value, naming the flag. */
  errors: string[];
}

type StringFlag =
  'folder' | 'dataDir' | 'userDataDir' | 'host' | 'publicUrl' | 'client' | 'discoveryUrl' | 'tunnelServer';
type PortFlag = 'wopiPort' | 'controlPort';

const STRING_FLAGS: Record<string, StringFlag> = {
  '--folder': 'folder',
  '--data-dir': 'dataDir',
  '--user-data-dir': 'userDataDir',
  '--host': 'host',
  '--public-url': 'publicUrl',
  '--client': 'client',
  '--discovery-url': 'discoveryUrl',
  '--tunnel-server': 'tunnelServer',
};
const PORT_FLAGS: Record<string, PortFlag> = { '--wopi-port': 'wopiPort', '--control-port': 'controlPort' };
const VALUE_FLAGS = new Set([
  ...Object.keys(STRING_FLAGS),
  ...Object.keys(PORT_FLAGS),
  '--proof',
  '--subdomain',
]);
const PROOF_MODES: readonly ProofMode[] = ['enforce', 'report', 'off'];

/**
 * The user's part of argv. A packaged app gets [exe, ...user]; `electron .` in development gets
 * [electron, appPath, ...user] and sets process.defaultApp.
 */
export function userArgv(argv: readonly string[], defaultApp: boolean): string[] {
  return argv.slice(defaultApp ? 2 : 1);
}

function splitFlag(token: string): [name: string, inline: string | undefined] {
  const eq = token.indexOf('=');
  return eq === -1 ? [token, undefined] : [token.slice(0, eq), token.slice(eq + 1)];
}

export function parseDesktopArgs(argv: readonly string[]): ParsedArgs {
  const args: DesktopArgs = {};
  const errors: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (!token.startsWith('--')) {
      // Chromium passes its switches in --name=value form; a positional is a folder to open.
      if (token && !token.startsWith('-') && args.folder === undefined) args.folder = token;
      continue;
    }
    const [name, inline] = splitFlag(token);
    if (name === '--tunnel') {
      args.tunnel = inline !== 'false';
      continue;
    }
    if (!VALUE_FLAGS.has(name)) continue;
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        errors.push(`${name} needs a value.`);
        continue;
      }
      value = next;
      i++;
    }
    applyFlag(args, errors, name, value);
  }
  if (args.publicUrl !== undefined && args.tunnel === true) {
    errors.push('--public-url and --tunnel exclude each other: pick one.');
  }
  return { args, errors };
}

function applyFlag(args: DesktopArgs, errors: string[], name: string, value: string): void {
  const stringKey = STRING_FLAGS[name];
  if (stringKey) {
    if (value.trim() === '') errors.push(`${name} must not be empty.`);
    else args[stringKey] = value;
    return;
  }
  const portKey = PORT_FLAGS[name];
  if (portKey) {
    const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
    if (Number.isInteger(port) && port <= 65535) args[portKey] = port;
    else errors.push(`${name} must be a port number from 0 to 65535 (0 picks a free port); got "${value}".`);
    return;
  }
  if (name === '--proof') {
    const mode = PROOF_MODES.find((m) => m === value);
    if (mode) args.proof = mode;
    else errors.push(`--proof must be one of ${PROOF_MODES.join(', ')}; got "${value}".`);
    return;
  }
  // --subdomain: the localtunnel server refuses other ids, and its client then retries forever.
  if (/^[a-z0-9-]{4,63}$/.test(value)) args.subdomain = value;
  else errors.push(`--subdomain must be 4–63 lowercase letters, digits or '-'; got "${value}".`);
}

// Command-line flags of the desktop app: the 'desktop' entries of the flag table `wopi-workbench`
// reads too (server/cli/flags.ts, read by server/cli/flag-parse.ts), so both shells spell and check them alike. Pure: no Electron, so
// tests import it directly. Chromium and Electron add their own switches (also to a second
// instance's argv), so switches the table does not know are ignored rather than rejected.
import { readFlags } from '../server/cli/flag-parse';
import type { FlagValues } from '../server/cli/flags';

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;
type DesktopFlags = FlagValues<'desktop'>;

/**
 * The desktop flags, camel-cased (`--data-dir` → dataDir). `folder` is also the first bare path
 * ("WOPI Workbench ~/docs"); `userDataDir` overrides Electron's userData folder.
 */
export type DesktopArgs = { [K in keyof DesktopFlags as Camel<K>]: DesktopFlags[K] };

export interface ParsedArgs {
  args: DesktopArgs;
  /** One sentence per mistake, naming the flag. */
  errors: string[];
}

/**
 * The user's part of argv. A packaged app gets [exe, ...user]; `electron .` in development gets
 * [electron, appPath, ...user] and sets process.defaultApp.
 */
export function userArgv(argv: readonly string[], defaultApp: boolean): string[] {
  return argv.slice(defaultApp ? 2 : 1);
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function parseDesktopArgs(argv: readonly string[]): ParsedArgs {
  const { values, problems } = readFlags(argv, 'desktop');
  const args = Object.fromEntries(Object.entries(values).map(([k, v]) => [camel(k), v])) as DesktopArgs;
  return { args, errors: problems.map((p) => `${p}.`) };
}

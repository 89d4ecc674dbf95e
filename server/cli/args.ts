// Typed flag parsing for the CLI: unknown, repeated or valueless flags and out-of-range numbers are
// usage errors that name the flag.

/** The command line itself is wrong: exit 2, with a pointer to --help. */
export class UsageError extends Error {}

/** The command line is fine but the run cannot go on (a file not served, no serve running): exit 1. */
export class CliError extends Error {}

/** A whole number flag and the range it accepts. */
export interface NumberFlag {
  min: number;
  max: number;
}

export type FlagSpec = Record<string, 'string' | 'boolean' | NumberFlag>;
export type Flags<S extends FlagSpec> = {
  [K in keyof S]?: S[K] extends NumberFlag ? number : S[K] extends 'boolean' ? boolean : string;
};

export const PORT: NumberFlag = { min: 0, max: 65535 };

function parseBoolean(name: string, raw: string): boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new UsageError(`--${name} takes no value (or =true / =false); got "${raw}"`);
}

function parseNumber(name: string, raw: string, range: NumberFlag): number {
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number; got "${raw}"`);
  const n = Number(raw);
  if (n < range.min || n > range.max) {
    throw new UsageError(`--${name} must be from ${range.min} to ${range.max}; got ${raw}`);
  }
  return n;
}

export function parseFlags<S extends FlagSpec>(argv: string[], spec: S): Flags<S> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      throw new UsageError(`unexpected argument "${arg}": every value follows its flag, e.g. --folder DIR`);
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const type = spec[name];
    if (!type) throw new UsageError(`unknown flag --${name}`);
    if (name in out) throw new UsageError(`--${name} is given twice; keep one`);
    if (type === 'boolean') {
      out[name] = eq > 0 ? parseBoolean(name, arg.slice(eq + 1)) : true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--')))
      throw new UsageError(`--${name} needs a value`);
    out[name] = type === 'string' ? value : parseNumber(name, value, type);
  }
  return out as Flags<S>;
}

/** `--a` only makes sense with `--b`: say so instead of ignoring it. */
export function requireWith(flags: Record<string, unknown>, flag: string, needs: string): void {
  if (flags[flag] !== undefined && !flags[needs]) {
    throw new UsageError(`--${flag} only applies with --${needs}`);
  }
}

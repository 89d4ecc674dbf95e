// Typed flag parsing for the CLI: unknown flags and bad values are errors that name the flag.
export class UsageError extends Error {}

export type FlagSpec = Record<string, 'string' | 'number' | 'boolean'>;
export type Flags<S extends FlagSpec> = {
  [K in keyof S]?: S[K] extends 'number' ? number : S[K] extends 'boolean' ? boolean : string;
};

export function parseFlags<S extends FlagSpec>(argv: string[], spec: S): Flags<S> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const type = spec[name];
    if (!type) throw new UsageError(`unknown flag --${name}`);
    if (type === 'boolean') {
      out[name] = eq > 0 ? arg.slice(eq + 1) !== 'false' : true;
      continue;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || (eq < 0 && value.startsWith('--')))
      throw new UsageError(`--${name} needs a value`);
    if (type === 'number') {
      if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number; got "${value}"`);
      out[name] = Number(value);
    } else out[name] = value;
  }
  return out as Flags<S>;
}

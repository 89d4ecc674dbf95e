// Reads a command line against the flag table (flags.ts): node:util parseArgs for its shape, the
// table for every value, then the shell's rules across flags, each mistake said in one sentence
// that names the flag. Pure like the table: main/ reads the desktop's command line with it too.
import { parseArgs } from 'node:util';
import { flagDef, flagsOf, FLAGS, RULES, type FlagName, type FlagValues, type Shell } from './flags';
/** `a or b`, `a, b or c`, and `one of …` past that. */
function listChoices(choices: readonly string[]): string {
  if (choices.length > 3) return `one of ${choices.join(', ')}`;
  return choices.length > 1 ? `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}` : (choices[0] ?? '');
}

/** The first sentence is the one to show; a desktop launch may show them all. */
export interface FlagReading<S extends Shell> {
  values: FlagValues<S>;
  problems: string[];
}

interface Problem {
  /** Where in argv, so the first mistake on the line is named first; rules across flags go last. */
  at: number;
  message: string;
  /** The flag it is about, when one is: a flag given wrong is not also "required". */
  flag?: string;
}

// parseArgs' tokens, as both its strict and its lenient mode give them.
interface OptionToken {
  kind: 'option';
  name: string;
  rawName: string;
  index: number;
  value?: string | undefined;
  inlineValue?: boolean | undefined;
}
interface PositionalToken {
  kind: 'positional';
  index: number;
  value: string;
}
type Token = OptionToken | PositionalToken | { kind: 'option-terminator'; index: number };

function known(shell: Shell, name: string): FlagName | undefined {
  return Object.hasOwn(FLAGS, name) && flagDef(name as FlagName).in.includes(shell)
    ? (name as FlagName)
    : undefined;
}

const isBoolean = (shell: Shell, name: string): boolean => {
  const flag = known(shell, name);
  return flag !== undefined && flagDef(flag).type === 'boolean';
};

/** `--name`, `--name=…` or `--no-name` of a switch the shell knows. */
function isOwnSwitch(shell: Shell, arg: string): boolean {
  if (!arg.startsWith('--')) return false;
  const name = arg.slice(2).split('=')[0] ?? '';
  return known(shell, name) !== undefined || (name.startsWith('no-') && isBoolean(shell, name.slice(3)));
}

/**
 * Electron's and Chromium's switches (also a macOS `-psn_…`) dropped, up to a `--` terminator. A
 * `-1` right after one of our value flags stays, so the parse can say how to write it.
 */
function withoutForeignSwitches(shell: Shell, argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const head = end === -1 ? argv : argv.slice(0, end);
  const takesValue = (arg: string | undefined): boolean => {
    const flag = arg?.startsWith('--') ? known(shell, arg.slice(2)) : undefined;
    return flag !== undefined && flagDef(flag).type !== 'boolean';
  };
  const kept = head.filter(
    (arg, i) =>
      !arg.startsWith('-') || isOwnSwitch(shell, arg) || (!arg.startsWith('--') && takesValue(head[i - 1])),
  );
  return end === -1 ? kept : [...kept, ...argv.slice(end)];
}

function parseArgsOptions(shell: Shell): Record<string, { type: 'string' | 'boolean' }> {
  // Numbers reach parseArgs as strings: the table checks them so the message names the range.
  return Object.fromEntries(
    flagsOf(shell).map((name) => [name, { type: flagDef(name).type === 'boolean' ? 'boolean' : 'string' }]),
  );
}

const isParseArgsError = (e: unknown): boolean =>
  e instanceof Error && String((e as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_');

/**
 * The strict parse, or what it refused, in one sentence per mistake. parseArgs' errors stop at the
 * first mistake and carry no flag name apart from their English text, so a refused line is read
 * again leniently and its tokens explained in our words.
 */
function tokenize(shell: Shell, args: string[]): { tokens: Token[]; problems: Problem[] } {
  const config = {
    options: parseArgsOptions(shell),
    allowPositionals: RULES[shell].positional !== undefined,
    allowNegative: true,
    tokens: true,
  } as const;
  try {
    return { tokens: parseArgs({ ...config, args, strict: true }).tokens, problems: [] };
  } catch (e) {
    if (!isParseArgsError(e)) throw e;
    const explained = explain(shell, args, 0, config.allowPositionals);
    if (explained.problems.length > 0) return explained;
    // Not one of the mistakes named below: parseArgs' own sentence is still better than nothing.
    return { tokens: [], problems: [{ at: 0, message: (e as Error).message.split('\n')[0] ?? '' }] };
  }
}

function explain(
  shell: Shell,
  args: string[],
  offset: number,
  allowPositionals: boolean,
): { tokens: Token[]; problems: Problem[] } {
  const options = parseArgsOptions(shell);
  const { tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  });
  const kept: Token[] = [];
  const problems: Problem[] = [];
  const say = (t: Token, message: string): void => {
    problems.push({ at: offset + t.index, message, ...(t.kind === 'option' ? { flag: t.name } : {}) });
  };
  for (const t of tokens) {
    if (t.kind === 'option-terminator') continue;
    if (t.kind === 'positional') {
      if (allowPositionals) kept.push({ ...t, index: offset + t.index });
      else say(t, unexpected(shell, t.value));
      continue;
    }
    const negated = t.rawName === `--no-${t.name}`;
    const flag = known(shell, t.name);
    if (t.name.startsWith('no-') && t.value !== undefined && isBoolean(shell, t.name.slice(3))) {
      say(t, `${t.rawName} takes no value; got "${t.value}"`);
    } else if (!t.rawName.startsWith('--')) {
      // `-folder` is read as the group -f -o -l…: name the argument as typed, once.
      if (!problems.some((p) => p.at === offset + t.index)) say(t, `unknown flag ${args[t.index]}`);
    } else if (!flag || (negated && flagDef(flag).type !== 'boolean')) {
      say(t, `unknown flag ${t.rawName}`);
    } else if (flagDef(flag).type === 'boolean') {
      if (t.value === undefined) kept.push({ ...t, index: offset + t.index });
      else say(t, `--${flag} takes no value (--no-${flag} turns it off); got "${t.value}"`);
    } else if (t.value === undefined) {
      say(t, `--${flag} needs a value`);
    } else if (!t.inlineValue && t.value.startsWith('--')) {
      // The next flag, taken for this one's value: report the missing value, then read on from it.
      say(t, `--${flag} needs a value`);
      const rest = explain(shell, args.slice(t.index + 1), offset + t.index + 1, allowPositionals);
      return { tokens: [...kept, ...rest.tokens], problems: [...problems, ...rest.problems] };
    } else if (!t.inlineValue && t.value.length > 1 && t.value.startsWith('-')) {
      say(t, `--${flag} ${t.value} reads as a flag; write --${flag}=${t.value}`);
    } else {
      kept.push({ ...t, index: offset + t.index });
    }
  }
  return { tokens: kept, problems };
}

function unexpected(shell: Shell, value: string): string {
  const first = flagsOf(shell).find((name) => flagDef(name).type !== 'boolean');
  const example = first ? `, e.g. --${first} ${flagDef(first).meta ?? 'VALUE'}` : '';
  return `unexpected argument "${value}": every value follows its flag${example}`;
}

/** The value as the table types it, or the sentence saying what is wrong with it. */
function convert(name: FlagName, raw: string): { value: string | number } | { problem: string } {
  const def = flagDef(name);
  if (raw.trim() === '') return { problem: `--${name} must not be empty` };
  if (def.type === 'number') {
    if (!/^-?\d+$/.test(raw)) return { problem: `--${name} must be a whole number; got "${raw}"` };
    const n = Number(raw);
    if (n < def.min || n > def.max)
      return { problem: `--${name} must be from ${def.min} to ${def.max}; got ${raw}` };
    return { value: n };
  }
  if (def.type === 'string' && def.choices && !def.choices.includes(raw)) {
    return { problem: `--${name} must be ${listChoices(def.choices)}; got "${raw}"` };
  }
  const problem = def.type === 'string' ? def.check?.(raw) : undefined;
  return problem === undefined ? { value: raw } : { problem: `--${name}: ${problem}` };
}

/**
 * Reads a command line against the table: parseArgs (strict) for its shape, the table for every
 * value, then the shell's rules across flags. Problems come in the order of the line.
 */
export function readFlags<S extends Shell>(argv: readonly string[], shell: S): FlagReading<S> {
  const rules = RULES[shell];
  const args = rules.ignoreUnknown ? withoutForeignSwitches(shell, argv) : [...argv];
  const { tokens, problems } = tokenize(shell, args);
  const values: Record<string, string | number | boolean> = {};
  const given = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const name = t.name as FlagName;
    if (given.has(name)) {
      problems.push({ at: t.index, message: `--${name} is given twice; keep one` });
      continue;
    }
    given.add(name);
    readOne(name, t, values, problems);
  }
  if (rules.positional !== undefined && values[rules.positional] === undefined) {
    const bare = tokens.find((t): t is PositionalToken => t.kind === 'positional' && t.value !== '');
    if (bare) values[rules.positional] = bare.value;
  }
  const last = Number.MAX_SAFE_INTEGER;
  for (const [a, b] of rules.excludes ?? []) {
    if (values[a] && values[b])
      problems.push({ at: last, message: `--${a} and --${b} exclude each other: pick one` });
  }
  for (const [flag, needs] of rules.requires ?? []) {
    if (values[flag] !== undefined && !values[needs]) {
      problems.push({ at: last, message: `--${flag} only applies with --${needs}` });
    }
  }
  for (const [flag, what] of Object.entries(rules.required ?? {})) {
    if (!given.has(flag) && !problems.some((p) => p.flag === flag))
      problems.push({ at: last, message: `--${flag} is required: ${what}` });
  }
  // A stable sort: mistakes at one place keep the order they were found in.
  problems.sort((x, y) => x.at - y.at);
  return { values: values as FlagValues<S>, problems: problems.map((p) => p.message) };
}

function readOne(
  name: FlagName,
  t: OptionToken,
  values: Record<string, string | number | boolean>,
  problems: Problem[],
): void {
  if (flagDef(name).type === 'boolean') {
    values[name] = t.rawName !== `--no-${name}`;
    return;
  }
  const read = convert(name, t.value ?? '');
  if ('problem' in read) problems.push({ at: t.index, message: read.problem, flag: name });
  else values[name] = read.value;
}

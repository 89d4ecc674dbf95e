// Every command-line flag of both shells, once: the `wopi-workbench` commands and the desktop app
// read the same table through node:util parseArgs, so a flag is spelled, typed and checked alike
// in both. Pure (no Electron, no printing): main/ imports it, and the CLI's help is made from it.
import { parseArgs } from 'node:util';
import { PROFILE_IDS } from '../discovery/profiles';
import { normalizePublicUrl, normalizeServerUrl, normalizeSubdomain, TunnelError } from '../tunnel/provider';

/** The CLI commands, and the desktop app's command line. */
export type Shell = 'serve' | 'token' | 'open' | 'desktop';
export type Command = Exclude<Shell, 'desktop'>;
export const COMMANDS: readonly Command[] = ['serve', 'token', 'open'];

interface FlagBase {
  /** The commands and shells that accept the flag. */
  in: readonly Shell[];
  /** One line for --help; a record when the flag means something different per command. */
  help: string | Partial<Record<Shell, string>>;
  /** The value's placeholder in help (`--folder DIR`). */
  meta?: string;
}
export interface BooleanFlag extends FlagBase {
  type: 'boolean';
}
export interface NumberFlag extends FlagBase {
  type: 'number';
  min: number;
  max: number;
}
export interface StringFlag extends FlagBase {
  type: 'string';
  choices?: readonly string[];
  /** A problem with the value in words, or undefined when it is fine. */
  check?: (value: string) => string | undefined;
}
export type FlagDef = BooleanFlag | NumberFlag | StringFlag;

const PORT = { type: 'number', min: 0, max: 65535, meta: 'N' } as const;
const RETENTION = { type: 'number', min: 1, max: 10_000_000, meta: 'N' } as const;
// The longest token POST /v1/tokens mints too: 30 days.
const MAX_TTL_MINUTES = 30 * 24 * 60;

/** The tunnel's own input checks, so a typo is refused before anything starts. */
function tunnelCheck(normalize: (raw: string) => string): (value: string) => string | undefined {
  return (value) => {
    try {
      normalize(value);
      return undefined;
    } catch (e) {
      if (e instanceof TunnelError) return e.message;
      throw e;
    }
  };
}

// In the order help lists them.
export const FLAGS = {
  folder: {
    type: 'string',
    meta: 'DIR',
    in: ['serve', 'desktop'],
    help: {
      serve: 'the folder to serve; without it, a copy of the bundled samples (as --samples)',
      desktop: 'the folder to serve; a bare path counts too',
    },
  },
  samples: {
    type: 'boolean',
    in: ['serve'],
    help: 'serve a copy of the bundled sample files, kept in the data dir (your edits stay there)',
  },
  'data-dir': {
    type: 'string',
    meta: 'DIR',
    in: ['serve', 'token', 'open', 'desktop'],
    help: {
      serve: 'where the run keeps its state (default: one per folder in ~/.local/share/wopi-workbench)',
      token: 'the data dir of the serve run',
      open: 'the data dir of the running serve',
      desktop: "where the engine keeps its state (default: one per folder in the app's data)",
    },
  },
  'user-data-dir': {
    type: 'string',
    meta: 'DIR',
    in: ['desktop'],
    help: "Electron's userData folder (tests use a temp one per run)",
  },
  file: {
    type: 'string',
    meta: 'RELPATH',
    in: ['token', 'open'],
    help: 'the file, as a path relative to the served folder',
  },
  action: {
    type: 'string',
    meta: 'ACTION',
    in: ['open'],
    help: "a discovery action for the file's extension (default: edit, or view for a viewer)",
  },
  host: {
    type: 'string',
    meta: 'HOST',
    in: ['serve', 'desktop'],
    help: 'the address the WOPI listener binds (default 127.0.0.1)',
  },
  'wopi-port': { ...PORT, in: ['serve', 'desktop'], help: 'the WOPI listener port (default 0: a free port)' },
  'control-port': {
    ...PORT,
    in: ['serve', 'desktop'],
    help: 'the control API and inspector port (default 0: a free port)',
  },
  'public-url': {
    type: 'string',
    meta: 'URL',
    in: ['serve', 'desktop'],
    help: 'the origin your own reverse proxy serves this host at',
    check: tunnelCheck(normalizePublicUrl),
  },
  tunnel: {
    type: 'boolean',
    in: ['serve', 'desktop'],
    help: {
      serve: 'open a localtunnel at start',
      desktop: 'open a localtunnel at launch (the tray toggles it later)',
    },
  },
  'tunnel-server': {
    type: 'string',
    meta: 'URL',
    in: ['serve', 'desktop'],
    help: 'the localtunnel server (default https://localtunnel.me)',
    check: tunnelCheck(normalizeServerUrl),
  },
  subdomain: {
    type: 'string',
    meta: 'NAME',
    in: ['serve', 'desktop'],
    help: 'the tunnel id to ask for: 4-63 characters a-z, 0-9 and "-"',
    check: tunnelCheck(normalizeSubdomain),
  },
  client: {
    type: 'string',
    meta: 'PROFILE',
    in: ['serve', 'desktop'],
    help: 'the WOPI client profile (default simulator)',
    choices: PROFILE_IDS,
  },
  'discovery-url': {
    type: 'string',
    meta: 'URL',
    in: ['serve', 'desktop'],
    help: "the client's discovery URL or file; alone, it selects that client",
  },
  proof: {
    type: 'string',
    in: ['serve', 'desktop'],
    help: "proof keys: enforce rejects a bad proof, report logs the verdict, off skips the check (default: the client's)",
    choices: ['enforce', 'report', 'off'],
  },
  personas: {
    type: 'string',
    meta: 'FILE.json',
    in: ['serve'],
    help: 'the personas: a JSON array of { id, name, permissions: "view" | "edit" }',
  },
  'version-retention': { ...RETENTION, in: ['serve'], help: 'versions kept per file (default 50)' },
  'log-retention': { ...RETENTION, in: ['serve'], help: 'request-log entries kept (default 100000)' },
  // 1 MB .. 100 GB: 0 would refuse every save, and more than that is a typo.
  'max-upload-mb': {
    type: 'number',
    min: 1,
    max: 100 * 1024,
    meta: 'N',
    in: ['serve'],
    help: 'the largest file a save may send, in MB (default 2048)',
  },
  user: {
    type: 'string',
    meta: 'PERSONA',
    in: ['token', 'open'],
    help: 'a persona of the serve run, by id or name',
  },
  'ad-hoc': {
    type: 'boolean',
    in: ['token', 'open'],
    help: {
      token: 'with --user: a user outside the personas (edit rights unless --permissions says otherwise)',
      open: 'with --user: a user outside the personas',
    },
  },
  permissions: {
    type: 'string',
    in: ['token'],
    help: "the token's rights (default: the persona's)",
    choices: ['view', 'edit'],
  },
  'ttl-minutes': {
    type: 'number',
    min: 1,
    max: MAX_TTL_MINUTES,
    meta: 'N',
    in: ['token'],
    help: `the token's lifetime (default 600, at most ${MAX_TTL_MINUTES})`,
  },
  profile: {
    type: 'string',
    meta: 'PROFILE',
    in: ['open'],
    help: "the client profile to launch (default: the run's)",
  },
  json: {
    type: 'boolean',
    in: ['serve', 'token', 'open'],
    help: {
      serve: 'one JSON object per line',
      token: 'print {"wopiSrc","accessToken","accessTokenTtl"}',
      open: 'print the launch link as a JSON object',
    },
  },
  quiet: { type: 'boolean', in: ['serve'], help: 'no request lines' },
} as const satisfies Record<string, FlagDef>;

export type FlagName = keyof typeof FLAGS;

/** What a shell checks across its flags. */
export interface ShellRules {
  /** Flags that must be given, with what they name. */
  required?: Partial<Record<FlagName, string>>;
  /** [a, b]: a only makes sense with b. */
  requires?: ReadonlyArray<readonly [FlagName, FlagName]>;
  /** [a, b]: not both. */
  excludes?: ReadonlyArray<readonly [FlagName, FlagName]>;
  /** The flag a bare argument stands for; without it, a bare argument is a mistake. */
  positional?: FlagName;
  /** Leave flags the table does not know alone (Electron and Chromium add their own switches). */
  ignoreUnknown?: boolean;
}

const RELPATH_REQUIRED = 'the file path relative to the served folder';

export const RULES: Record<Shell, ShellRules> = {
  serve: {
    excludes: [
      ['folder', 'samples'],
      ['public-url', 'tunnel'],
    ],
    requires: [
      ['tunnel-server', 'tunnel'],
      ['subdomain', 'tunnel'],
    ],
  },
  token: {
    required: { 'data-dir': 'the data dir of the serve run', file: RELPATH_REQUIRED },
    requires: [['ad-hoc', 'user']],
  },
  open: {
    required: { 'data-dir': 'the data dir of the running serve', file: RELPATH_REQUIRED },
    requires: [['ad-hoc', 'user']],
  },
  // No requires: the tray opens a tunnel later with --tunnel-server and --subdomain.
  desktop: { excludes: [['public-url', 'tunnel']], positional: 'folder', ignoreUnknown: true },
};

type Table = typeof FLAGS;
type NamesIn<S extends Shell> = {
  [K in FlagName]: S extends Table[K]['in'][number] ? K : never;
}[FlagName];
type ValueOf<F> = F extends { type: 'boolean' }
  ? boolean
  : F extends { type: 'number' }
    ? number
    : F extends { choices: readonly (infer C)[] }
      ? C
      : string;

/** The flags a shell was given, typed by the table (choices narrow to their union). */
export type FlagValues<S extends Shell> = { [K in NamesIn<S>]?: ValueOf<Table[K]> };

export function flagsOf(shell: Shell): FlagName[] {
  return (Object.keys(FLAGS) as FlagName[]).filter((name) => flagDef(name).in.includes(shell));
}

export function flagDef(name: FlagName): FlagDef {
  return FLAGS[name];
}

export function helpOf(name: FlagName, shell: Shell): string {
  const help = flagDef(name).help;
  return typeof help === 'string' ? help : (help[shell] ?? '');
}

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

// Every command-line flag of both shells, once: the `wopi-workbench` commands and the desktop app
// read the same table through node:util parseArgs, so a flag is spelled, typed and checked alike
// in both. Pure data (no Electron, no printing): main/ imports it, flag-parse.ts reads a command line
// against it and the CLI's help (args.ts) is made from it.
import { PROFILE_IDS } from '../discovery/profiles';
import { normalizePublicUrl, normalizeServerUrl, normalizeSubdomain, TunnelError } from '../tunnel/provider';

/** The CLI commands, and the desktop app's command line. */
export type Shell = 'serve' | 'token' | 'open' | 'check' | 'scenario' | 'desktop';
export type Command = Exclude<Shell, 'desktop'>;
export const COMMANDS: readonly Command[] = ['serve', 'token', 'open', 'check', 'scenario'];
/** Commands whose first words are not flags: what the synopsis shows after the command's name. */
export const COMMAND_ARGS: Partial<Record<Command, string>> = { scenario: 'run FILE|ID' };

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

/** A problem with an http(s) URL, or undefined. */
function httpUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL; give the WOPISrc like https://host/wopi/files/ID`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `the WOPISrc must be an http or https URL, not ${url.protocol}`;
  return undefined;
}

// In the order help lists them.
export const FLAGS = {
  folder: {
    type: 'string',
    meta: 'DIR',
    in: ['serve', 'scenario', 'desktop'],
    help: {
      serve: 'the folder to serve; without it, a copy of the bundled samples (as --samples)',
      scenario:
        'with no serve running on --data-dir: the folder the embedded workbench serves (default: a temp one)',
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
    in: ['serve', 'token', 'open', 'check', 'scenario', 'desktop'],
    help: {
      scenario:
        'run against the serve running on this data dir; with none running, an embedded workbench keeps its state here (default: a temp one)',
      serve: 'where the run keeps its state (default: one per folder in ~/.local/share/wopi-workbench)',
      check:
        "where the run and its requests are kept (default: serve's default, so the inspector shows them)",
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
  faults: {
    type: 'string',
    meta: 'FILE.json',
    in: ['serve'],
    help: "fault rules to start with (a wopi-workbench-faults file, as GET /v1/faults/export writes): they replace the data dir's rules",
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
    in: ['serve', 'token', 'open', 'check', 'scenario'],
    help: {
      scenario: 'print the run (its steps, expected vs actual) as one JSON object',
      serve: 'one JSON object per line',
      token: 'print {"wopiSrc","accessToken","accessTokenTtl"}',
      open: 'print the launch link as a JSON object',
      check: 'print the run (groups, cases, expected vs actual) as one JSON object',
    },
  },
  quiet: { type: 'boolean', in: ['serve'], help: 'no request lines' },
  wopisrc: {
    type: 'string',
    meta: 'URL',
    in: ['check'],
    help: 'the file to check: its WOPISrc (https://host/wopi/files/ID), the token may ride along as ?access_token=',
    check: (value) => httpUrlProblem(value),
  },
  upstream: {
    type: 'string',
    meta: 'URL',
    in: ['serve'],
    help: 'proxy mode: forward every /wopi/… request to your own WOPI host at URL, each one recorded and linted',
  },
  token: {
    type: 'string',
    meta: 'TOKEN',
    in: ['serve', 'open', 'check'],
    help: {
      serve: 'with --upstream: an access token your host minted, for launches that bring none',
      open: 'with --file-id: the access token your WOPI host minted for that file (proxy mode)',
      check: 'the access token your host minted for that file (optional when the URL carries it)',
    },
  },
  'token-ttl': {
    type: 'number',
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    meta: 'MS',
    in: ['check'],
    help: 'access_token_ttl to send: when the token expires, in epoch milliseconds (0 = not said)',
  },
  groups: {
    type: 'string',
    meta: 'A,B',
    in: ['check'],
    help: 'run only these groups (comma-separated ids; default: every group your host supports)',
  },
  junit: {
    type: 'string',
    meta: 'FILE',
    in: ['check', 'scenario'],
    help: 'also write the result as JUnit XML (one testsuite per group), for CI',
  },
  sign: {
    type: 'boolean',
    in: ['check'],
    help: "sign every request with the simulated client's proof keys (your host must trust its discovery)",
  },
  'allow-writes': {
    type: 'boolean',
    in: ['check'],
    help: 'write to a file whose name does not end in .wopitest (locks, saves, renames, deletes)',
  },
  'file-id': {
    type: 'string',
    meta: 'ID',
    in: ['open'],
    help: 'the file by id; with serve --upstream, a file id of your WOPI host',
  },
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

const SHELL_RULES = {
  serve: {
    excludes: [
      ['folder', 'samples'],
      ['public-url', 'tunnel'],
    ],
    requires: [
      ['tunnel-server', 'tunnel'],
      ['subdomain', 'tunnel'],
      ['token', 'upstream'],
    ],
  },
  token: {
    required: { 'data-dir': 'the data dir of the serve run', file: RELPATH_REQUIRED },
    requires: [['ad-hoc', 'user']],
  },
  // --file or --file-id (open.ts says so when neither is given).
  open: {
    required: { 'data-dir': 'the data dir of the running serve' },
    requires: [
      ['ad-hoc', 'user'],
      ['token', 'file-id'],
    ],
    excludes: [['file', 'file-id']],
  },
  check: { required: { wopisrc: 'the WOPISrc of the file to check' } },
  // `run FILE|ID` and `list` come before the flags (scenario.ts reads them).
  scenario: {},
  // No requires: the tray opens a tunnel later with --tunnel-server and --subdomain.
  desktop: { excludes: [['public-url', 'tunnel']], positional: 'folder', ignoreUnknown: true },
} as const satisfies Record<Shell, ShellRules>;

export const RULES: Record<Shell, ShellRules> = SHELL_RULES;

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

type RequiredIn<S extends Shell> = (typeof SHELL_RULES)[S] extends { required: infer R }
  ? keyof R & FlagName
  : never;
type Flat<T> = { [K in keyof T]: T[K] };

/**
 * The flags a shell was given, typed by the table: choices narrow to their union, and the shell's
 * required flags are present (a reading without problems has them).
 */
export type FlagValues<S extends Shell> = Flat<
  { [K in RequiredIn<S>]: ValueOf<Table[K]> } & {
    [K in Exclude<NamesIn<S>, RequiredIn<S>>]?: ValueOf<Table[K]>;
  }
>;

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

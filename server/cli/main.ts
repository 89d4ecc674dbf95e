// CLI entry: one file per command. A mistake on the command line is one sentence plus a pointer to
// --help (exit 2); a run that cannot go on is one sentence naming the fix (exit 1); usage text only
// when asked for.
import { ConfigError } from '../config/options';
import { ListenError } from '../http/listen';
import { APP_VERSION } from '../version';
import { CliError, UsageError } from './args';

const COMMAND_USAGE: Record<string, string> = {
  serve: `  wopi-workbench serve [--folder DIR | --samples] [--data-dir DIR] [--host 127.0.0.1] [--wopi-port N] [--control-port N] [--json]
                       [--public-url URL | --tunnel [--tunnel-server URL] [--subdomain NAME]]
                       [--client PROFILE] [--discovery-url URL] [--proof enforce|report|off]
                       [--personas FILE.json] [--version-retention N] [--log-retention N] [--max-upload-mb N] [--quiet]`,
  token: `  wopi-workbench token --data-dir DIR --file RELPATH [--user PERSONA [--ad-hoc]] [--permissions view|edit] [--ttl-minutes N] [--json]`,
  open: `  wopi-workbench open  --data-dir DIR --file RELPATH [--action ACTION] [--user PERSONA [--ad-hoc]] [--profile PROFILE] [--json]`,
};

const USAGE = `Usage:\n${Object.values(COMMAND_USAGE).join('\n')}
  wopi-workbench --version

--samples serves a copy of the bundled sample files, kept in the data dir (your edits stay there).
--user names a persona (see serve --personas); --ad-hoc mints for a user outside the personas.`;

// Loaded on use: `token` and `--help` should not pay for the whole engine.
const COMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  serve: async () => (await import('./commands/serve')).serve,
  token: async () => (await import('./commands/token')).token,
  open: async () => (await import('./commands/open')).open,
};

function usageFor(cmd: string | undefined): string {
  const one = cmd ? COMMAND_USAGE[cmd] : undefined;
  return one ? `Usage:\n${one}` : USAGE;
}

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${APP_VERSION}\n`);
    return;
  }
  if (!cmd || cmd === '--help' || cmd === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (cmd === 'help') {
    process.stdout.write(`${usageFor(rest[0])}\n`);
    return;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${usageFor(cmd)}\n`);
    return;
  }
  const known = Object.hasOwn(COMMANDS, cmd);
  try {
    const load = COMMANDS[cmd];
    if (!known || !load) {
      throw new UsageError(`unknown command "${cmd}"; the commands are ${Object.keys(COMMANDS).join(', ')}`);
    }
    await (
      await load()
    )(rest);
  } catch (e) {
    const expected =
      e instanceof UsageError ||
      e instanceof CliError ||
      e instanceof ConfigError ||
      e instanceof ListenError;
    const msg = expected
      ? e.message
      : `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    process.stderr.write(`wopi-workbench: ${msg}\n`);
    if (e instanceof UsageError) {
      process.stderr.write(
        known
          ? `Run \`wopi-workbench ${cmd} --help\` for its flags.\n`
          : 'Run `wopi-workbench --help` for the commands.\n',
      );
    }
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}

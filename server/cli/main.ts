// CLI entry: one file per command. A mistake on the command line is one sentence plus a pointer to
// --help (exit 2); a run that cannot go on is one sentence naming the fix (exit 1); usage text only
// when asked for.
import { ConfigError } from '../config/options';
import { ListenError } from '../http/listen';
import { APP_VERSION } from '../version';
import { CliError, commandHelp, isCommand, usage, UsageError } from './args';
import type { Command } from './flags';

// Loaded on use: `token` and `--help` should not pay for the whole engine.
const COMMANDS: Record<Command, () => Promise<(argv: string[]) => Promise<void>>> = {
  serve: async () => (await import('./commands/serve')).serve,
  token: async () => (await import('./commands/token')).token,
  open: async () => (await import('./commands/open')).open,
  check: async () => (await import('./commands/check')).check,
  scenario: async () => (await import('./commands/scenario')).scenario,
};

function usageFor(cmd: string | undefined): string {
  return cmd !== undefined && isCommand(cmd) ? commandHelp(cmd) : usage();
}

/** `--help` anywhere before a `--` terminator (after it, it is a value). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${APP_VERSION}\n`);
    return;
  }
  if (!cmd || cmd === '--help' || cmd === '-h') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  if (cmd === 'help') {
    process.stdout.write(`${usageFor(rest[0])}\n`);
    return;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(`${usageFor(cmd)}\n`);
    return;
  }
  const known = isCommand(cmd);
  try {
    if (!known) {
      throw new UsageError(`unknown command "${cmd}"; the commands are ${Object.keys(COMMANDS).join(', ')}`);
    }
    await (
      await COMMANDS[cmd]()
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

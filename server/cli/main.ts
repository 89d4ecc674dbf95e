// CLI entry: one file per command; errors become one clear sentence and a non-zero exit.
import { ConfigError } from '../config/options';
import { ListenError } from '../http/listen';
import { UsageError } from './args';

const USAGE = `Usage:
  wopi-workbench serve --folder DIR [--data-dir DIR] [--host 127.0.0.1] [--wopi-port N] [--control-port N] [--json]
                       [--public-url URL | --tunnel [--tunnel-server URL] [--subdomain NAME]]
                       [--client PROFILE] [--discovery-url URL] [--proof enforce|report|off]
                       [--personas FILE.json] [--version-retention N] [--log-retention N] [--max-upload-mb N] [--quiet]
  wopi-workbench token --data-dir DIR --file RELPATH [--user NAME] [--permissions view|edit] [--ttl-minutes N] [--json]
  wopi-workbench open  --data-dir DIR --file RELPATH [--action view|edit|editnew|embedview] [--user NAME] [--json]`;

// Loaded on use: `token` and `--help` should not pay for the whole engine.
const COMMANDS: Record<string, () => Promise<(argv: string[]) => Promise<void>>> = {
  serve: async () => (await import('./commands/serve')).serve,
  token: async () => (await import('./commands/token')).token,
  open: async () => (await import('./commands/open')).open,
};

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const load = COMMANDS[cmd];
  try {
    if (!load) throw new UsageError(`unknown command "${cmd}"`);
    await (
      await load()
    )(rest);
  } catch (e) {
    const msg =
      e instanceof UsageError || e instanceof ConfigError || e instanceof ListenError
        ? e.message
        : `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    process.stderr.write(`wopi-workbench: ${msg}\n`);
    if (e instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    process.exit(e instanceof UsageError ? 2 : 1);
  }
}

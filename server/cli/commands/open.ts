// `wopi-workbench open`: print a launch link for the host page of a running serve.
import { ControlApiError, createControlClient } from '../../contracts/client';
import { CliError, parseFlags, UsageError } from '../args';
import { checkUser } from '../personas';
import { readRuntime } from '../runtime-file';
import { relFromUser } from '../../storage/paths';

// Its flags, their checks and its help: the 'open' entries of ../flags.ts.
const SPEC = 'open';

export async function open(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  if (f.file === undefined && f['file-id'] === undefined)
    throw new UsageError(
      '--file is required (a path in the served folder), or --file-id ID (with serve --upstream, a file id of your WOPI host)',
    );
  const dataDir = f['data-dir'];
  const rt = readRuntime(dataDir);
  if (!rt.controlToken) throw new CliError('the running serve does not accept launch requests from the CLI');

  const client = createControlClient({ baseUrl: rt.controlUrl, token: rt.controlToken });
  /** One control call; a run that does not answer is a sentence, not a stack trace. */
  const ask = async <T>(work: Promise<T>, refused: string): Promise<T> => {
    try {
      return await work;
    } catch (err) {
      if (!(err instanceof ControlApiError)) throw err;
      if (err.code === 'network') {
        throw new CliError(
          `the serve run of data dir ${dataDir} does not answer at ${rt.controlUrl} (it has stopped?); ` +
            `start \`wopi-workbench serve --data-dir ${dataDir}\` again`,
        );
      }
      throw new CliError(`${refused}: ${err.message}`);
    }
  };
  const refusedByRun = `the serve run at ${rt.controlUrl} refused`;

  let fileId = f['file-id'];
  if (fileId === undefined) {
    checkUser(await ask(client.personas(), refusedByRun), f.user, f['ad-hoc'] === true);
    const files = await ask(client.files(), refusedByRun);
    const rel = relFromUser(f.file!);
    const file = files.find((x) => x.path === rel);
    if (!file) throw new CliError(`"${f.file}" is not served by that run (folder ${rt.folder})`);
    fileId = file.id;
  }

  const launch = await ask(
    client.launch({
      body: {
        fileId,
        action: f.action,
        personaId: f.user,
        profile: f.profile,
        ...(f.token !== undefined ? { accessToken: f.token } : {}),
      },
    }),
    'launch refused',
  );
  process.stdout.write(f.json ? `${JSON.stringify(launch)}\n` : `${launch.url}\n`);
}

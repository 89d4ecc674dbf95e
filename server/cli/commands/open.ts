// `wopi-workbench open`: print a launch link for the host page of a running serve.
import type { LaunchLink, Persona } from '../../contracts/api';
import { CliError, parseFlags, requireWith, UsageError } from '../args';
import { checkUser } from '../personas';
import { readRuntime, type RuntimeInfo } from '../runtime-file';

// Its flags, their checks and its help: the 'open' entries of ../flags.ts.
const SPEC = 'open';

/** One control API call; a run that does not answer is a sentence, not a stack trace. */
async function call<T>(rt: RuntimeInfo, dataDir: string, route: string, init: RequestInit = {}) {
  const headers = { authorization: `Bearer ${rt.controlToken ?? ''}`, 'content-type': 'application/json' };
  let res: Response;
  try {
    res = await fetch(`${rt.controlUrl}${route}`, { ...init, headers });
  } catch {
    throw new CliError(
      `the serve run of data dir ${dataDir} does not answer at ${rt.controlUrl} (it has stopped?); ` +
        `start \`wopi-workbench serve --data-dir ${dataDir}\` again`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as T & { error?: { message?: string } };
  return { ok: res.ok, status: res.status, body };
}

export async function open(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  if (!f['data-dir']) throw new UsageError('--data-dir is required: the data dir of the running serve');
  if (!f.file) throw new UsageError('--file is required: the file path relative to the served folder');
  requireWith(f, 'ad-hoc', 'user');
  const dataDir = f['data-dir'];
  const rt = readRuntime(dataDir);
  if (!rt.controlToken) throw new CliError('the running serve does not accept launch requests from the CLI');

  const personas = await call<Persona[]>(rt, dataDir, '/v1/personas');
  if (!personas.ok || !Array.isArray(personas.body)) {
    throw new CliError(
      `the serve run at ${rt.controlUrl} refused: ${personas.body.error?.message ?? `HTTP ${personas.status}`}`,
    );
  }
  checkUser(personas.body, f.user, f['ad-hoc'] === true);

  const files = await call<Array<{ id: string; path: string }>>(rt, dataDir, '/v1/files');
  const rel = f.file.replace(/\\/g, '/').replace(/^\.?\//, '');
  const file = Array.isArray(files.body) ? files.body.find((x) => x.path === rel) : undefined;
  if (!file) throw new CliError(`"${f.file}" is not served by that run (folder ${rt.folder})`);

  const launch = await call<LaunchLink>(rt, dataDir, '/v1/launch', {
    method: 'POST',
    body: JSON.stringify({ fileId: file.id, action: f.action, personaId: f.user, profile: f.profile }),
  });
  if (!launch.ok || !launch.body.url) {
    throw new CliError(`launch refused: ${launch.body.error?.message ?? `HTTP ${launch.status}`}`);
  }
  process.stdout.write(f.json ? `${JSON.stringify(launch.body)}\n` : `${launch.body.url}\n`);
}

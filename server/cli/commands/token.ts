// `wopi-workbench token`: mint an access token for a file of a folder served with this data dir,
// for curl, Postman or an external WOPI client/validator. Works whether or not serve is running.
import type { Permission } from '../../contracts/api';
import { resolveUser } from '../../auth/users';
import { ConfigError, DEFAULT_PERSONAS, resolveOptions } from '../../config/options';
import { createEventBus } from '../../events/bus';
import { openEngineState } from '../../engine';
import { createFileIndex } from '../../storage/file-index';
import { CliError, parseFlags, requireWith, UsageError } from '../args';
import { checkUser } from '../personas';
import { readRuntime } from '../runtime-file';

// Its flags, their checks and its help: the 'token' entries of ../flags.ts.
const SPEC = 'token';

export async function token(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  if (!f['data-dir']) throw new UsageError('--data-dir is required: the data dir of the serve run');
  if (!f.file) throw new UsageError('--file is required: the file path relative to the served folder');
  requireWith(f, 'ad-hoc', 'user');
  if (f.permissions !== undefined && f.permissions !== 'view' && f.permissions !== 'edit') {
    throw new UsageError(`--permissions must be view or edit; got "${f.permissions}"`);
  }
  const runtime = readRuntime(f['data-dir']);
  // The serve run's personas, so --user names the same people with the same rights.
  let opts;
  try {
    opts = resolveOptions({
      folder: runtime.folder,
      dataDir: f['data-dir'],
      watch: false,
      personas: runtime.personas,
    });
  } catch (e) {
    // The folder came from the runtime file, not from a flag of this command: say that.
    if (e instanceof ConfigError && e.setting === 'folder') {
      throw new CliError(`the folder that serve run served cannot be used any more: ${e.message}`);
    }
    throw e;
  }
  checkUser(opts.personas, f.user, f['ad-hoc'] === true);
  const state = openEngineState(opts);
  try {
    const now = Date.now;
    const rel = f.file.replace(/\\/g, '/').replace(/^\.?\//, '');
    const index = createFileIndex({
      folder: opts.folder,
      files: state.files,
      versions: state.versions,
      blobs: state.blobs,
      bus: createEventBus({ now }),
      now,
      ownerId: DEFAULT_PERSONAS[0]!.id,
      versionRetention: opts.versionRetention,
      lockOf: () => null,
    });
    const fresh = await index.ensure(rel);
    if (!fresh) throw new CliError(`"${f.file}" is not a file served from ${opts.folder}`);
    const grant = resolveUser(opts.personas, f.user, f.permissions as Permission | undefined);
    const accessTokenTtl = Date.now() + (f['ttl-minutes'] ?? opts.tokenTtlMinutes) * 60_000;
    const accessToken = state.tokens.mint({ fileId: fresh.row.id, ...grant, expiresAt: accessTokenTtl });
    const out = { wopiSrc: `${runtime.publicUrl}/wopi/files/${fresh.row.id}`, accessToken, accessTokenTtl };
    if (f.json) process.stdout.write(`${JSON.stringify(out)}\n`);
    else {
      process.stdout.write(
        `WOPISrc:          ${out.wopiSrc}\naccess_token:     ${out.accessToken}\naccess_token_ttl: ${out.accessTokenTtl}\n` +
          `Try:  curl '${out.wopiSrc}?access_token=${out.accessToken}'\n`,
      );
    }
  } finally {
    state.db.close();
  }
}

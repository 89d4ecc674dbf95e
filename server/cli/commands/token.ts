// `wopi-workbench token`: mint an access token for a file of a folder served with this data dir,
// for curl, Postman or an external WOPI client/validator. Works whether or not serve is running.
import fs from 'node:fs';
import path from 'node:path';
import type { Permission, Persona } from '../../contracts/api';
import { resolveUser } from '../../auth/users';
import { DEFAULT_PERSONAS, resolveOptions } from '../../config/options';
import { createEventBus } from '../../events/bus';
import { openEngineState, RUNTIME_FILE } from '../../engine';
import { createFileIndex } from '../../storage/file-index';
import { parseFlags, UsageError } from '../args';

const SPEC = {
  'data-dir': 'string',
  file: 'string',
  user: 'string',
  permissions: 'string',
  'ttl-minutes': 'number',
  json: 'boolean',
} as const;

export async function token(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  if (!f['data-dir']) throw new UsageError('--data-dir is required: the data dir of the serve run');
  if (!f.file) throw new UsageError('--file is required: the file path relative to the served folder');
  if (f.permissions !== undefined && f.permissions !== 'view' && f.permissions !== 'edit') {
    throw new UsageError(`--permissions must be view or edit; got "${f.permissions}"`);
  }
  const dataDir = path.resolve(f['data-dir']);
  const runtimePath = path.join(dataDir, RUNTIME_FILE);
  if (!fs.existsSync(runtimePath)) {
    throw new UsageError(
      `no serve run has used data dir ${dataDir}; start \`wopi-workbench serve --data-dir ${f['data-dir']}\` first`,
    );
  }
  const runtime = JSON.parse(fs.readFileSync(runtimePath, 'utf8')) as {
    folder: string;
    publicUrl: string;
    personas?: Persona[];
  };
  // The serve run's personas, so --user names the same people with the same rights.
  const opts = resolveOptions({ folder: runtime.folder, dataDir, watch: false, personas: runtime.personas });
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
    if (!fresh) throw new UsageError(`"${f.file}" is not a file served from ${opts.folder}`);
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

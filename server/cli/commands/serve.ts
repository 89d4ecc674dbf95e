// `wopi-workbench serve`: run the engine headless and print where it is.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import type { Persona, ProofMode } from '../../contracts/api';
import { createWorkbench } from '../../engine';
import { parseFlags, UsageError } from '../args';
import { defaultDataDir } from '../data-dir';
import { attachPrinter } from '../printer';
import { wireRooms } from '../../wiring';

const SPEC = {
  folder: 'string',
  'data-dir': 'string',
  host: 'string',
  'wopi-port': 'number',
  'control-port': 'number',
  json: 'boolean',
  'public-url': 'string',
  client: 'string',
  'discovery-url': 'string',
  proof: 'string',
  tunnel: 'boolean',
  'tunnel-server': 'string',
  subdomain: 'string',
  'max-upload-mb': 'number',
  personas: 'string',
  'version-retention': 'number',
  'log-retention': 'number',
  quiet: 'boolean',
} as const;

function defaultUiDir(): string | undefined {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/renderer');
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}

/** A JSON array of { id, name, permissions: "view" | "edit", email? }. */
function readPersonas(file: string): Persona[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(
      `--personas ${file}: cannot read it as JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (!Array.isArray(parsed))
    throw new UsageError(`--personas ${file} must hold a JSON array of { id, name, permissions }`);
  return parsed as Persona[];
}

export async function serve(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  if (!f.folder) throw new UsageError('--folder is required: the folder whose files to serve');
  if (f.proof !== undefined && !['enforce', 'report', 'off'].includes(f.proof)) {
    throw new UsageError(`--proof must be enforce, report or off; got "${f.proof}"`);
  }
  if (f['public-url'] && f.tunnel)
    throw new UsageError('--public-url and --tunnel exclude each other: pick one');
  const json = f.json === true;
  const wb = createWorkbench({
    folder: f.folder,
    dataDir: f['data-dir'] ?? defaultDataDir(f.folder),
    host: f.host,
    wopiPort: f['wopi-port'],
    controlPort: f['control-port'],
    publicUrl: f['public-url'],
    clientProfile: f.client,
    discoveryUrl: f['discovery-url'],
    proofMode: f.proof as ProofMode | undefined,
    tunnel: f.tunnel ? { server: f['tunnel-server'], subdomain: f.subdomain } : undefined,
    maxUploadBytes: f['max-upload-mb'] ? f['max-upload-mb'] * 1024 * 1024 : undefined,
    personas: f.personas ? readPersonas(f.personas) : undefined,
    versionRetention: f['version-retention'],
    requestLogRetention: f['log-retention'],
    uiDir: defaultUiDir(),
  });
  const rooms = await wireRooms(wb);
  const printer = attachPrinter(wb, { json, quiet: f.quiet === true });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    printer.line({ event: 'stopping', signal }, `Stopping (${signal})…`);
    void wb.stop().then(() => {
      printer.line({ event: 'stopped' }, 'Stopped cleanly.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const ready = await wb.start();
  await rooms.afterStart();
  printer.ready({ ...ready, publicUrl: wb.publicBase() });
}

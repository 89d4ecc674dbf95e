// `wopi-workbench serve`: run the engine headless and print where it is.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Persona } from '../../contracts/api';
import { ConfigError, validatePersonas } from '../../config/options';
import { ensureSampleFolder, SAMPLE_FOLDER_NAME } from '../../config/sample-folder';
import type { FaultRulesFile } from '../../contracts/lab';
import { FaultRuleError, parseRulesFile } from '../../faults';
import { createWorkbench } from '../../workbench';
import { normalizePublicUrl, normalizeServerUrl, normalizeSubdomain } from '../../tunnel';
import { parseFlags, UsageError } from '../args';
import { defaultDataDir, defaultSamplesDataDir } from '../data-dir';
import { attachPrinter } from '../printer';

// Its flags, their checks and its help: the 'serve' entries of ../flags.ts.
const SPEC = 'serve';

const here = path.dirname(fileURLToPath(import.meta.url));

function defaultUiDir(): string | undefined {
  const dir = path.resolve(here, '../../../dist/renderer');
  return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}

/** The sample documents shipped in the repository (read-only: only ever copied). */
export const BUNDLED_SAMPLES = path.resolve(here, '../../../assets/samples');

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
  try {
    return validatePersonas(parsed as Persona[]);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(`--personas ${file}: ${e.message}`);
    throw e;
  }
}

/** A fault rules file, checked whole before anything starts: a bad rule names the file, its index and field. */
function readFaults(file: string): FaultRulesFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(
      `--faults ${file}: cannot read it as JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  try {
    parseRulesFile(parsed);
  } catch (e) {
    if (e instanceof FaultRuleError) throw new UsageError(`--faults ${file}: ${e.message}`);
    throw e;
  }
  return parsed as FaultRulesFile;
}

/** The sample copy in the data dir, made on first use and never overwritten afterwards. */
async function sampleFolder(dataDir: string): Promise<string> {
  try {
    return await ensureSampleFolder(BUNDLED_SAMPLES, path.join(path.resolve(dataDir), SAMPLE_FOLDER_NAME));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'it is not a folder' : (code ?? String(e));
    throw new ConfigError(
      'dataDir',
      `cannot copy the samples into data dir "${dataDir}" (${why}); pass --data-dir with a folder this user can write.`,
    );
  }
}

export async function serve(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  // The flag table has already refused a value these cannot normalise (a usage error, not a failed tunnel).
  const publicUrl = f['public-url'] === undefined ? undefined : normalizePublicUrl(f['public-url']);
  const tunnelServer = f['tunnel-server'] === undefined ? undefined : normalizeServerUrl(f['tunnel-server']);
  const subdomain = f.subdomain === undefined ? undefined : normalizeSubdomain(f.subdomain);
  const personas = f.personas ? readPersonas(f.personas) : undefined;
  const faults = f.faults ? readFaults(f.faults) : undefined;
  const json = f.json === true;
  // Without --folder, a first run still gives something to open: the copy of the bundled samples.
  const sampleCopy = f.samples === true || f.folder === undefined;
  const dataDir = f['data-dir'] ?? (sampleCopy ? defaultSamplesDataDir() : defaultDataDir(f.folder!));
  const folder = sampleCopy ? await sampleFolder(dataDir) : f.folder!;
  const wb = createWorkbench({
    folder,
    dataDir,
    host: f.host,
    wopiPort: f['wopi-port'],
    controlPort: f['control-port'],
    publicUrl,
    clientProfile: f.client,
    discoveryUrl: f['discovery-url'],
    proofMode: f.proof,
    tunnel: f.tunnel ? { server: tunnelServer, subdomain } : undefined,
    maxUploadBytes: f['max-upload-mb'] !== undefined ? f['max-upload-mb'] * 1024 * 1024 : undefined,
    personas,
    versionRetention: f['version-retention'],
    requestLogRetention: f['log-retention'],
    uiDir: defaultUiDir(),
    upstream: f.upstream,
    upstreamToken: f.token,
  });
  // Checked above; they replace the rules the data dir kept from earlier runs.
  if (faults) wb.faults.importFile(faults, true);
  const printer = attachPrinter(wb, { json, quiet: f.quiet === true });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    printer.release();
    printer.line({ event: 'stopping', signal }, `Stopping (${signal})…`);
    void wb.stop().then(() => {
      printer.line({ event: 'stopped' }, 'Stopped cleanly.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let ready;
  try {
    ready = await wb.start();
  } catch (e) {
    // What happened before the failure (warnings) is still worth reading, then the error itself.
    printer.release();
    await wb.stop();
    throw e;
  }
  const asked = f.tunnel === true || publicUrl !== undefined;
  printer.ready(ready, {
    tunnel: asked ? wb.rooms.tunnel.state() : null,
    sampleCopy,
    faults: { active: wb.faults.activeCount(), total: wb.faults.list().length },
  });
}

// `wopi-workbench token`: mint an access token for a file of a folder served with this data dir,
// for curl, Postman or an external WOPI client/validator. Works whether or not serve is running.
import { ConfigError } from '../../config/options';
import { ApiModelError } from '../../api';
import { createWorkbench } from '../../workbench';
import { CliError, parseFlags } from '../args';
import { checkUser } from '../personas';
import { readRuntime } from '../runtime-file';

// Its flags, their checks and its help: the 'token' entries of ../flags.ts.
const SPEC = 'token';

export async function token(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  const runtime = readRuntime(f['data-dir']);
  // The serve run's folder and personas, so --user names the same people with the same rights; the
  // WOPISrc carries the public URL that run hands out. Nothing is bound or started here.
  let wb;
  try {
    wb = createWorkbench({
      folder: runtime.folder,
      dataDir: f['data-dir'],
      watch: false,
      personas: runtime.personas,
      publicUrl: runtime.publicUrl,
    });
  } catch (e) {
    // The folder came from the runtime file, not from a flag of this command: say that.
    if (e instanceof ConfigError && e.setting === 'folder') {
      throw new CliError(`the folder that serve run served cannot be used any more: ${e.message}`);
    }
    throw e;
  }
  try {
    checkUser(wb.options.personas, f.user, f['ad-hoc'] === true);
    let out;
    try {
      out = await wb.mintToken({
        file: f.file,
        user: f.user,
        permissions: f.permissions,
        ttlMinutes: f['ttl-minutes'],
      });
    } catch (e) {
      if (e instanceof ApiModelError && (e.code === 'not-found' || e.code === 'bad-request'))
        throw new CliError(e.message);
      throw e;
    }
    if (f.json) process.stdout.write(`${JSON.stringify(out)}\n`);
    else {
      process.stdout.write(
        `WOPISrc:          ${out.wopiSrc}\naccess_token:     ${out.accessToken}\naccess_token_ttl: ${out.accessTokenTtl}\n` +
          `Try:  curl '${out.wopiSrc}?access_token=${out.accessToken}'\n`,
      );
    }
  } finally {
    await wb.stop();
  }
}

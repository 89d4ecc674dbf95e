// `wopi-workbench open`: print a launch link for the host page of a running serve.
import fs from 'node:fs';
import path from 'node:path';
import { RUNTIME_FILE } from '../../engine';
import { parseFlags, UsageError } from '../args';

const SPEC = {
  'data-dir': 'string',
  file: 'string',
  action: 'string',
  user: 'string',
  profile: 'string',
  json: 'boolean',
} as const;

export async function open(argv: string[]): Promise<void> {
  const f = parseFlags(argv, SPEC);
  if (!f['data-dir']) throw new UsageError('--data-dir is required: the data dir of the running serve');
  if (!f.file) throw new UsageError('--file is required: the file path relative to the served folder');
  const runtimePath = path.join(path.resolve(f['data-dir']), RUNTIME_FILE);
  if (!fs.existsSync(runtimePath)) throw new UsageError('no serve run uses that data dir; start serve first');
  const rt = JSON.parse(fs.readFileSync(runtimePath, 'utf8')) as {
    controlUrl: string;
    controlToken?: string;
  };
  if (!rt.controlToken)
    throw new UsageError('the running serve does not accept launch requests from the CLI');
  const auth = { authorization: `Bearer ${rt.controlToken}`, 'content-type': 'application/json' };
  const files = (await (await fetch(`${rt.controlUrl}/v1/files`, { headers: auth })).json()) as Array<{
    id: string;
    path: string;
  }>;
  const rel = f.file.replace(/\\/g, '/').replace(/^\.?\//, '');
  const file = files.find((x) => x.path === rel);
  if (!file) throw new UsageError(`"${f.file}" is not served by that run`);
  const res = await fetch(`${rt.controlUrl}/v1/launch`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      fileId: file.id,
      action: f.action ?? 'edit',
      personaId: f.user,
      profile: f.profile,
    }),
  });
  const body = (await res.json()) as { url?: string; expiresAt?: number; error?: { message: string } };
  if (!res.ok || !body.url) throw new UsageError(`launch refused: ${body.error?.message ?? res.status}`);
  process.stdout.write(f.json ? `${JSON.stringify(body)}\n` : `${body.url}\n`);
}

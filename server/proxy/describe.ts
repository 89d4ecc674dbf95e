// What a launch in proxy mode needs to know about an upstream file before the host page can open it:
// its name (the extension picks the discovery action), owner and the token's user, read from the
// upstream's own CheckFileInfo with the token the person's host minted.
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Upstream } from './upstream';
import { upstreamPath } from './upstream';

export interface UpstreamFile {
  name: string;
  ownerId: string;
  userId: string;
  userName: string;
  /** UserCanWrite: the upstream lets this token's user edit. */
  canWrite: boolean;
}

/** Why a launch cannot use this upstream file, in one sentence naming the fix. */
export class UpstreamFileError extends Error {
  override readonly name = 'UpstreamFileError';
  constructor(
    readonly code: 'not-found' | 'forbidden' | 'bad-request' | 'not-available',
    message: string,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 15_000;
const MAX_BYTES = 1024 * 1024;

function read(req: ClientRequest): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BYTES) res.destroy(new Error('the answer is larger than 1 MB'));
        else chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.end();
  });
}

export async function describeUpstreamFile(
  up: Upstream,
  send: (path: string, method: string, headers: string[]) => ClientRequest,
  fileId: string,
  accessToken: string,
): Promise<UpstreamFile> {
  const path = upstreamPath(
    up,
    `/wopi/files/${encodeURIComponent(fileId)}`,
    `access_token=${encodeURIComponent(accessToken)}`,
  );
  const where = `${up.href} (CheckFileInfo of file ${fileId})`;
  let answer: { status: number; text: string };
  try {
    answer = await read(send(path, 'GET', ['Host', up.host, 'Accept', 'application/json']));
  } catch (e) {
    throw new UpstreamFileError(
      'not-available',
      `the upstream host ${where} could not be reached: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (answer.status === 401 || answer.status === 403)
    throw new UpstreamFileError(
      'forbidden',
      `the upstream host refused the access token for file ${fileId} (${answer.status}); mint a fresh one in your host for this file`,
    );
  if (answer.status === 404)
    throw new UpstreamFileError('not-found', `the upstream host has no file ${fileId} (404 from ${up.href})`);
  if (answer.status !== 200)
    throw new UpstreamFileError(
      'not-available',
      `the upstream host answered ${answer.status} to ${where}; a host that enforces proof keys refuses this unsigned request, so check its log`,
    );
  let info: Record<string, unknown>;
  try {
    const parsed = JSON.parse(answer.text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    info = parsed as Record<string, unknown>;
  } catch {
    throw new UpstreamFileError(
      'bad-request',
      `the upstream host's CheckFileInfo for ${fileId} is not a JSON object`,
    );
  }
  const name = info['BaseFileName'];
  if (typeof name !== 'string' || name === '')
    throw new UpstreamFileError(
      'bad-request',
      `the upstream host's CheckFileInfo for ${fileId} has no BaseFileName, so no action can be chosen for it`,
    );
  const str = (k: string, fallback: string): string =>
    typeof info[k] === 'string' && info[k] !== '' ? (info[k] as string) : fallback;
  const userId = str('UserId', 'upstream-user');
  return {
    name,
    ownerId: str('OwnerId', 'owner'),
    userId,
    userName: str('UserFriendlyName', userId),
    canWrite: info['UserCanWrite'] === true,
  };
}

// A small WOPI host written apart from ours (in memory, plain node:http), with switchable classic
// mistakes. Correct by default (PROTOCOL.md §3, §5, §6, §7), it is the "someone else's host" that
// `check` and `serve --upstream` are pointed at in tests: with no mistake the conformance run passes,
// and each mistake must fail exactly the cases and trip exactly the linter rules it concerns.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mistake =
  /** 409 on a lock conflict without the X-WOPI-Lock response header. */
  | 'conflict-without-lock-header'
  /** A lock conflict answered 400 instead of 409 (header still sent). */
  | 'conflict-as-400'
  /** Lock ids compared case-insensitively ("lockstring" unlocks "LockString"). */
  | 'lock-id-case-insensitive'
  /** PutFile keeps the same Version / X-WOPI-ItemVersion. */
  | 'version-unchanged-on-put'
  /** Unknown file ids answered 500 instead of 404. */
  | 'unknown-file-500'
  /** Unknown X-WOPI-Override answered 200 instead of 501. */
  | 'unknown-override-200'
  /** GetFile ignores X-WOPI-MaxExpectedSize (never 412). */
  | 'ignores-max-expected-size'
  /** PutRelativeFile answers without Url. */
  | 'put-relative-without-url'
  /** CheckFileInfo without OwnerId, and Size as a string. */
  | 'file-info-missing-owner'
  /** A token for one file accepted on every file. */
  | 'token-any-file';

interface MiniFile {
  id: string;
  name: string;
  bytes: Buffer;
  version: number;
  lock?: { id: string; expiresAt: number };
}

export interface MiniHost {
  /** Origin, e.g. `http://127.0.0.1:1234`. */
  url: string;
  /** The files endpoint of a file by name. */
  wopiSrc(name: string): string;
  /** A fresh access token for the file (made only of [A-Za-z0-9]). */
  token(name: string, userId?: string): string;
  /** Current bytes of a file by name (undefined once deleted). */
  bytes(name: string): Buffer | undefined;
  mistakes: Set<Mistake>;
  /** Every request the host saw: method, path (no query), override, status. */
  seen: Array<{ method: string; path: string; override?: string; status: number }>;
  close(): Promise<void>;
}

const LOCK_MS = 30 * 60 * 1000;
const KNOWN = new Set([
  'LOCK',
  'GET_LOCK',
  'REFRESH_LOCK',
  'UNLOCK',
  'PUT',
  'PUT_RELATIVE',
  'RENAME_FILE',
  'DELETE',
  'PUT_USER_INFO',
]);

/** RFC 2152 decoding, enough for names (the host must read UTF-7 name headers). */
function decodeUtf7(s: string): string {
  return s.replace(/\+([A-Za-z0-9+/]*)-?/g, (_m, b64: string) => {
    if (b64 === '') return '+';
    const bytes = Buffer.from(b64, 'base64');
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode(bytes.readUInt16BE(i));
    return out;
  });
}

export async function startMiniHost(
  options: { files?: Record<string, Buffer>; mistakes?: Mistake[] } = {},
): Promise<MiniHost> {
  const mistakes = new Set(options.mistakes ?? []);
  const files = new Map<string, MiniFile>();
  const tokens = new Map<string, { fileId: string; userId: string }>();
  const userInfo = new Map<string, string>();
  const seen: MiniHost['seen'] = [];
  let nextId = 1;
  const addFile = (name: string, bytes: Buffer): MiniFile => {
    const f: MiniFile = { id: `f${nextId++}`, name, bytes, version: 1 };
    files.set(f.id, f);
    return f;
  };
  for (const [name, bytes] of Object.entries(options.files ?? { 'test.wopitest': Buffer.alloc(0) }))
    addFile(name, bytes);
  const byName = (name: string): MiniFile | undefined => [...files.values()].find((f) => f.name === name);
  const mint = (fileId: string, userId: string): string => {
    const t = randomBytes(18).toString('hex');
    tokens.set(t, { fileId, userId });
    return t;
  };
  const liveLock = (f: MiniFile): string | undefined => {
    if (f.lock && f.lock.expiresAt <= Date.now()) f.lock = undefined;
    return f.lock?.id;
  };
  const same = (a: string, b: string): boolean =>
    mistakes.has('lock-id-case-insensitive') ? a.toLowerCase() === b.toLowerCase() : a === b;
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://mini.invalid');
      const override = (req.headers['x-wopi-override'] as string | undefined)?.toUpperCase();
      const headers: Record<string, string> = {};
      let status = 200;
      let out: Buffer | string = '';
      const send = (): void => {
        seen.push({ method: req.method ?? '', path: url.pathname, override, status });
        const payload = typeof out === 'string' ? Buffer.from(out) : out;
        res.writeHead(status, { ...headers, 'content-length': String(payload.length) });
        res.end(payload);
      };
      const json = (value: unknown): void => {
        headers['content-type'] = 'application/json; charset=utf-8';
        out = JSON.stringify(value);
      };
      const conflict = (current: string | undefined): void => {
        status = mistakes.has('conflict-as-400') ? 400 : 409;
        if (!mistakes.has('conflict-without-lock-header')) headers['x-wopi-lock'] = current ?? '';
      };
      const m = /^\/wopi\/files\/([^/]+)(\/contents)?$/.exec(url.pathname);
      if (!m) {
        status = 404;
        return send();
      }
      const fileId = decodeURIComponent(m[1]!);
      const contents = m[2] !== undefined;
      const token = url.searchParams.get('access_token') ?? '';
      const grant = tokens.get(token);
      const f = files.get(fileId);
      if (!grant) {
        status = 401;
        return send();
      }
      if (!f) {
        status = mistakes.has('unknown-file-500') ? 500 : 404;
        return send();
      }
      if (grant.fileId !== fileId && !mistakes.has('token-any-file')) {
        status = 401;
        return send();
      }
      const itemVersion = (): void => {
        headers['x-wopi-itemversion'] = `v${f.version}`;
      };
      const lockHeader = req.headers['x-wopi-lock'] as string | undefined;
      const current = liveLock(f);

      if (req.method === 'GET' && !contents) {
        const info: Record<string, unknown> = {
          BaseFileName: f.name,
          OwnerId: 'owner-1',
          Size: f.bytes.length,
          UserId: grant.userId,
          UserFriendlyName: `User ${grant.userId}`,
          Version: `v${f.version}`,
          SupportsLocks: true,
          SupportsGetLock: true,
          SupportsExtendedLockLength: true,
          SupportsUpdate: true,
          SupportsDeleteFile: true,
          UserCanWrite: true,
          UserCanNotWriteRelative: false,
        };
        if (userInfo.has(grant.userId)) info['UserInfo'] = userInfo.get(grant.userId);
        if (mistakes.has('file-info-missing-owner')) {
          delete info['OwnerId'];
          info['Size'] = String(f.bytes.length);
        }
        json(info);
        return send();
      }
      if (req.method === 'GET' && contents) {
        const max = Number(req.headers['x-wopi-maxexpectedsize'] ?? 2 ** 31 - 1);
        if (f.bytes.length > max && !mistakes.has('ignores-max-expected-size')) {
          status = 412;
          return send();
        }
        itemVersion();
        out = f.bytes;
        return send();
      }
      if (req.method !== 'POST') {
        status = 405;
        return send();
      }
      if (contents) {
        if (override !== 'PUT') {
          status = 501;
          return send();
        }
        const may = current === undefined ? f.bytes.length === 0 : same(current, lockHeader ?? '');
        if (!may) {
          conflict(current);
          return send();
        }
        f.bytes = body;
        if (!mistakes.has('version-unchanged-on-put')) f.version += 1;
        itemVersion();
        return send();
      }
      if (override === undefined || !KNOWN.has(override)) {
        status = mistakes.has('unknown-override-200') ? 200 : 501;
        return send();
      }
      const oldLock = req.headers['x-wopi-oldlock'] as string | undefined;
      switch (override) {
        case 'LOCK': {
          if (!lockHeader) status = 400;
          else if (oldLock !== undefined) {
            if (current !== undefined && same(current, oldLock))
              f.lock = { id: lockHeader, expiresAt: Date.now() + LOCK_MS };
            else conflict(current);
          } else if (current === undefined || same(current, lockHeader)) {
            f.lock = { id: current ?? lockHeader, expiresAt: Date.now() + LOCK_MS };
            itemVersion();
          } else conflict(current);
          break;
        }
        case 'GET_LOCK':
          headers['x-wopi-lock'] = current ?? '';
          break;
        case 'REFRESH_LOCK':
        case 'UNLOCK': {
          if (!lockHeader) status = 400;
          else if (current !== undefined && same(current, lockHeader)) {
            if (override === 'UNLOCK') {
              f.lock = undefined;
              itemVersion();
            } else f.lock = { id: current, expiresAt: Date.now() + LOCK_MS };
          } else conflict(current);
          break;
        }
        case 'DELETE':
          if (current !== undefined) conflict(current);
          else files.delete(f.id);
          break;
        case 'PUT_RELATIVE': {
          const suggested = req.headers['x-wopi-suggestedtarget'] as string | undefined;
          const relative = req.headers['x-wopi-relativetarget'] as string | undefined;
          if ((suggested === undefined) === (relative === undefined)) {
            status = 501;
            break;
          }
          let name: string;
          if (suggested !== undefined) {
            const s = decodeUtf7(suggested);
            name = s.startsWith('.') ? f.name.replace(/(\.[^.]*)?$/, s) : s;
            // Suggested mode never conflicts: the host picks a free name, keeping the extension.
            for (let n = 1; byName(name); n += 1) name = name.replace(/( \(\d+\))?(\.[^.]*)?$/, ` (${n})$2`);
          } else {
            name = decodeUtf7(relative!);
            if (!name || /[\\/:*?"<>|]/.test(name)) {
              status = 400;
              break;
            }
            const existing = byName(name);
            const overwrite = /^true$/i.test((req.headers['x-wopi-overwriterelativetarget'] as string) ?? '');
            if (existing && !overwrite) {
              status = 409;
              break;
            }
            if (existing && liveLock(existing) !== undefined) {
              conflict(liveLock(existing));
              break;
            }
            if (existing) files.delete(existing.id);
          }
          const created = addFile(name, body);
          const t = mint(created.id, grant.userId);
          const result: Record<string, unknown> = {
            Name: name,
            HostViewUrl: `${origin}/view/${created.id}`,
            HostEditUrl: `${origin}/edit/${created.id}`,
          };
          if (!mistakes.has('put-relative-without-url'))
            result['Url'] = `${origin}/wopi/files/${created.id}?access_token=${t}`;
          json(result);
          break;
        }
        case 'PUT_USER_INFO':
          userInfo.set(grant.userId, body.toString('utf8'));
          break;
        default:
          // Advertised as unsupported (no SupportsRename): 501 per §2.
          status = 501;
      }
      send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    mistakes,
    seen,
    wopiSrc(name) {
      const f = byName(name);
      if (!f) throw new Error(`mini host has no file ${name}`);
      return `${origin}/wopi/files/${f.id}`;
    },
    token(name, userId = 'u1') {
      const f = byName(name);
      if (!f) throw new Error(`mini host has no file ${name}`);
      return mint(f.id, userId);
    },
    bytes: (name) => byName(name)?.bytes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

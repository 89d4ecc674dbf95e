// What the fuzzer knows about the host it is attacking: the files (fixed "content" files whose bytes
// are tracked, "scratch" files created and deleted along the way), the tokens for each, the lock ids
// in play, and every secret it has seen, for the closing scan.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FileView, TokenGrant } from '../../../server/contracts';
import { cliToken } from '../cli-process';
import { lockPool, taggedBody } from './inputs';
import type { Rng } from './rng';
import type { ServeTarget } from './target';

export interface FileRef {
  id: string;
  kind: 'content' | 'scratch';
  /** Short label for reports (the path it started with). */
  label: string;
  /** Its file name as last reported by the host (PutRelativeFile / RenameFile), when known. */
  name?: string;
  token: string;
  viewToken?: string;
  expiredToken?: string;
  /** Set once a DeleteFile on it answered 200 (it may come back under the same path). */
  deleted: boolean;
}

export interface World {
  rng: Rng;
  content: FileRef[];
  scratch: FileRef[];
  byId: Map<string, FileRef>;
  lockIds: string[];
  /** Every lock id a request sent that the host could have stored (a 409 may only report one of these). */
  sentLockIds: Set<string>;
  /** Every secret minted, handed out or sent during the run -> what it is (the secrets scan looks for each). */
  secrets: Map<string, string>;
  initial: Map<string, { sha: string; size: number; version: number }>;
}

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The served files a fuzz run starts with: `count` content files of a few KB. */
export function contentFiles(rng: Rng, count: number): Record<string, Buffer> {
  const exts = ['.docx', '.xlsx', '.pptx', '.wopitest'];
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    const rel = `${i % 2 === 1 ? 'sub/' : ''}content-${i}${exts[i % exts.length]}`;
    files[rel] = taggedBody(rng, `initial ${rel}`, rng.int(200, 16 * 1024));
  }
  return files;
}

async function listFiles(target: ServeTarget): Promise<FileView[]> {
  const res = await target.control('GET', '/v1/files');
  assert.equal(res.status, 200, `GET /v1/files: ${res.text}`);
  return JSON.parse(res.text) as FileView[];
}

export async function mint(
  target: ServeTarget,
  fileId: string,
  extra: { permissions?: 'view' | 'edit'; ttlMinutes?: number; personaId?: string } = {},
): Promise<TokenGrant> {
  const res = await target.control('POST', '/v1/tokens', { fileId, ...extra });
  assert.equal(res.status, 200, `POST /v1/tokens: ${res.text}`);
  return JSON.parse(res.text) as TokenGrant;
}

async function cliGrant(target: ServeTarget, rel: string, id: string): Promise<{ accessToken: string }> {
  const t = await cliToken(target.dataDir, rel);
  assert.equal(t.id, id, `the token command and the control API disagree on the id of ${rel}`);
  return { accessToken: t.accessToken };
}

/** Mints every token the run needs (edit, view, and an already expired one per content file). */
export async function buildWorld(
  target: ServeTarget,
  rng: Rng,
  files: Record<string, Buffer>,
): Promise<World> {
  const listed = await listFiles(target);
  const world: World = {
    rng,
    content: [],
    scratch: [],
    byId: new Map(),
    lockIds: lockPool(rng),
    sentLockIds: new Set(),
    secrets: new Map(),
    initial: new Map(),
  };
  let expiresBy = 0;
  for (const [rel, bytes] of Object.entries(files)) {
    const view = listed.find((f) => f.path === rel);
    assert.ok(view, `${rel} is not served: ${listed.map((f) => f.path).join(', ')}`);
    // The first file's edit token comes from the `token` command, as a user in a shell would get it.
    const edit =
      world.content.length === 0
        ? await cliGrant(target, rel, view.id)
        : await mint(target, view.id, { personaId: rng.pick(['editor', 'coauthor']) });
    const viewOnly = await mint(target, view.id, { permissions: 'view' });
    // The shortest TTL the control API allows (1 s): expired by the time the fuzz starts.
    const expired = await mint(target, view.id, { ttlMinutes: 1 / 60 });
    expiresBy = Math.max(expiresBy, expired.accessTokenTtl);
    const ref: FileRef = {
      id: view.id,
      kind: 'content',
      label: rel,
      token: edit.accessToken,
      viewToken: viewOnly.accessToken,
      expiredToken: expired.accessToken,
      deleted: false,
    };
    world.secrets.set(edit.accessToken, `access token for ${rel}`);
    world.secrets.set(viewOnly.accessToken, `view-only access token for ${rel}`);
    world.secrets.set(expired.accessToken, `expired access token for ${rel}`);
    world.content.push(ref);
    world.byId.set(ref.id, ref);
    world.initial.set(ref.id, { sha: sha256(bytes), size: bytes.length, version: Number(view.version) });
  }
  // Wait on the clock, not on a guess: the expired tokens must really be past their TTL.
  while (Date.now() <= expiresBy + 50) await new Promise((r) => setTimeout(r, 100));
  return world;
}

export function addScratch(world: World, id: string, token: string, label: string): FileRef {
  world.secrets.set(token, `access token from a PutRelativeFile Url (${label})`);
  const known = world.byId.get(id);
  if (known) {
    // Same path again (ids follow paths): the file is back; keep the newest token.
    known.deleted = false;
    known.token = token;
    return known;
  }
  const ref: FileRef = { id, kind: 'scratch', label, token, deleted: false };
  world.scratch.push(ref);
  world.byId.set(id, ref);
  return ref;
}

// The data dir holds the secrets that sign access tokens and launch links (SQLite kv), the control
// token (runtime.json) and the simulator's private key: a real engine, with its rooms, makes the dir
// owner-only (0700) and every file it writes there 0600, and tightens what an earlier run left open.
import assert from 'node:assert/strict';
import { chmod, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createWorkbench } from '../../server/workbench';
import { dbFiles } from '../../server/state/db';
import { makeRoot } from '../helpers/engine-fixture';

const POSIX = process.platform !== 'win32';
const roots: string[] = [];
after(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true, maxRetries: 5 });
});

async function newRoot(prefix: string): Promise<string> {
  const root = await makeRoot(prefix, { 'a.txt': 'A' });
  roots.push(root);
  return root;
}

const mode = async (p: string): Promise<string> => ((await stat(p)).mode & 0o777).toString(8);

/** Starts an engine with every room (simulator keys included) on `dataDir`, runs `check` while it runs. */
async function whileRunning(folder: string, dataDir: string, check: () => Promise<void>): Promise<void> {
  const wb = createWorkbench({ folder, dataDir, watch: false });
  try {
    await wb.start();
    await check();
  } finally {
    await wb.stop();
  }
}

/** The files the engine keeps directly in the data dir while it runs, each with its mode. */
async function topLevelFiles(dataDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dataDir, { withFileTypes: true })) {
    if (entry.isFile()) out[entry.name] = await mode(path.join(dataDir, entry.name));
  }
  return out;
}

void describe('data dir permissions', { skip: POSIX ? false : 'POSIX permissions only' }, () => {
  void it('a new data dir (and its missing parents) is 0700; the database, its WAL files, runtime.json and the simulator key are 0600', async () => {
    const root = await newRoot('wb-datadir-new-');
    const dataDir = path.join(root, 'state', 'nested', 'data');
    await whileRunning(path.join(root, 'folder'), dataDir, async () => {
      assert.equal(await mode(dataDir), '700');
      assert.equal(await mode(path.dirname(dataDir)), '700', 'missing parents are created owner-only too');
      const files = await topLevelFiles(dataDir);
      for (const f of [...dbFiles(dataDir).map((p) => path.basename(p)), 'runtime.json'])
        assert.ok(f in files, `${f} exists while the engine runs: ${JSON.stringify(files)}`);
      assert.ok('simulator-proof-keys.json' in files, JSON.stringify(files));
      for (const [name, m] of Object.entries(files)) assert.equal(m, '600', `${name} is ${m}`);
    });
  });

  void it('an existing data dir and files left readable by others are tightened at start', async () => {
    const root = await newRoot('wb-datadir-open-');
    const folder = path.join(root, 'folder');
    const dataDir = path.join(root, 'data');
    await whileRunning(folder, dataDir, async () => undefined);
    // What an older build, a copy or a umask of 000 leaves: everything world-readable, WAL files included.
    await chmod(dataDir, 0o755);
    const [db, wal, shm] = dbFiles(dataDir) as [string, string, string];
    await writeFile(wal, '');
    await writeFile(shm, '');
    for (const f of [db, wal, shm, path.join(dataDir, 'runtime.json')]) await chmod(f, 0o644);

    await whileRunning(folder, dataDir, async () => {
      assert.equal(await mode(dataDir), '700');
      const files = await topLevelFiles(dataDir);
      assert.ok(path.basename(wal) in files && path.basename(shm) in files, JSON.stringify(files));
      for (const [name, m] of Object.entries(files)) assert.equal(m, '600', `${name} is ${m}`);
    });
  });
});

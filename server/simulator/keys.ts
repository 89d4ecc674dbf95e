// The simulator's proof-key pair, made once per data dir and kept in a 0600 file so discovery stays
// the same across restarts. rotateKey() does what Office does: the current key becomes the old
// one (still published in discovery) and a new current key is generated.
import { createPrivateKey, createPublicKey, generateKeyPair } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { keyFingerprint } from '../proof/keys';

export const SIMULATOR_KEY_FILE = 'simulator-proof-keys.json';

const generate = promisify(generateKeyPair);

export interface SimulatorKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Epoch ms. */
  createdAt: number;
  fingerprint: string;
}

export interface SimulatorKeys {
  current(): SimulatorKey;
  old(): SimulatorKey | null;
  /** Current becomes old, a new current is generated and saved. */
  rotate(): Promise<void>;
  readonly file: string;
}

interface StoredKey {
  pem: string;
  createdAt: number;
}

interface StoredKeys {
  version: 1;
  current: StoredKey;
  old: StoredKey | null;
}

function toKey(stored: StoredKey): SimulatorKey {
  const privateKey = createPrivateKey(stored.pem);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, createdAt: stored.createdAt, fingerprint: keyFingerprint(publicKey) };
}

async function newKey(now: number): Promise<StoredKey> {
  const { privateKey } = await generate('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), createdAt: now };
}

async function save(file: string, keys: StoredKeys): Promise<void> {
  // A temp file created 0600 and renamed over the old one: never a moment with a readable or torn key file.
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(keys, null, 2), { mode: 0o600 });
  await fs.chmod(tmp, 0o600);
  await fs.rename(tmp, file);
}

async function load(file: string): Promise<StoredKeys | null> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = JSON.parse(text) as Partial<StoredKeys>;
  if (parsed.version !== 1 || typeof parsed.current?.pem !== 'string') {
    throw new Error(`${file} is not a simulator key file; move it away to let the simulator make a new key`);
  }
  return { version: 1, current: parsed.current, old: parsed.old ?? null };
}

export async function openSimulatorKeys(dataDir: string, clock: () => number): Promise<SimulatorKeys> {
  await fs.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, SIMULATOR_KEY_FILE);
  let stored = await load(file);
  if (!stored) {
    stored = { version: 1, current: await newKey(clock()), old: null };
    await save(file, stored);
  }
  let saved: StoredKeys = stored;
  let current = toKey(saved.current);
  let old = saved.old ? toKey(saved.old) : null;
  let rotating: Promise<void> | null = null;

  return {
    file,
    current: () => current,
    old: () => old,
    rotate() {
      rotating ??= (async () => {
        const next: StoredKeys = { version: 1, current: await newKey(clock()), old: saved.current };
        await save(file, next);
        saved = next;
        old = current;
        current = toKey(next.current);
      })().finally(() => {
        rotating = null;
      });
      return rotating;
    },
  };
}

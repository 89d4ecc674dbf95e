// The built-in simulated WOPI client: its own loopback listener with discovery, action pages and
// a proof key, plus a programmatic runSession() for tests, the CLI and the UI.
import { generateKeyPair } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import http from 'node:http';
import { promisify } from 'node:util';
import { parseDiscovery } from '../discovery/parse';
import type { Discovery } from '../discovery/parse';
import { closeServer, listen } from '../http/listen';
import { APP_VERSION } from '../version';
import { buildDiscoveryXml } from './discovery-xml';
import { openSimulatorKeys } from './keys';
import type { SimulatorKeys } from './keys';
import { createSimulatorRoutes } from './routes';
import { createClientSession } from './session';
import type { ClientSession, SessionOptions, SessionStep } from './session';
import { parseMisbehaviours } from './wopi-client';
import type { ConnectFn, Misbehaviour, SigningKeys } from './wopi-client';

export { MISBEHAVIOURS, MISBEHAVIOUR_HELP, SimulatorError } from './wopi-client';
export type { Misbehaviour, ConnectFn } from './wopi-client';
export type { SessionStep, SessionState, LockedBy, SaveAttempt, ClientSession } from './session';
export { holderFromReason } from './session';

export interface SimulatorOptions {
  dataDir: string;
  clock: () => number;
  host?: string;
  port?: number;
  /** Where to really connect for a WOPI URL (default: the URL itself). */
  connect?: ConnectFn;
  /** Called when a request to the simulator fails unexpectedly. */
  onError?: (e: unknown) => void;
}

export interface RunSessionOptions {
  wopiSrc: string;
  accessToken: string;
  edit: boolean;
  /** Defaults to edit/view from `edit`. */
  action?: string;
  misbehave?: Misbehaviour | readonly Misbehaviour[];
  /** Sign as if the requests went to this origin (what a client behind a rewriting proxy does). */
  signAs?: string;
  /** New text content instead of the simulator's stamped edit. */
  text?: string;
  /** Sent on every request (e.g. X-Workbench-Check). */
  headers?: Record<string, string>;
}

export interface RunSessionResult {
  /** Every step answered 2xx. */
  ok: boolean;
  opened: boolean;
  saved: boolean;
  steps: SessionStep[];
  /** The lock id the session used (it unlocks before returning). */
  lockId: string | null;
  info: Record<string, unknown> | null;
}

const generate = promisify(generateKeyPair);

export function createSimulator(opts: SimulatorOptions) {
  let keys: SimulatorKeys | null = null;
  let keysLoading: Promise<SimulatorKeys> | null = null;
  let unpublished: Promise<KeyObject> | null = null;
  let sticky: Misbehaviour[] = [];
  let origin = '';
  let server: http.Server | null = null;

  function loadKeys(): Promise<SimulatorKeys> {
    keysLoading ??= openSimulatorKeys(opts.dataDir, opts.clock).then((k) => (keys = k));
    return keysLoading;
  }

  function signingKeys(): SigningKeys {
    if (!keys) throw new Error('simulator keys are not loaded yet');
    return {
      current: keys.current().privateKey,
      old: keys.old()?.privateKey ?? null,
      unpublished: () => {
        unpublished ??= generate('rsa', { modulusLength: 2048 }).then((k) => k.privateKey);
        return unpublished;
      },
    };
  }

  const sessionDeps = {
    clock: opts.clock,
    keys: signingKeys,
    connect: opts.connect,
    userAgent: `WOPI-Workbench-Simulator/${APP_VERSION}`,
  };

  function discoveryXml(): string {
    if (!keys) throw new Error('simulator keys are not loaded yet');
    return buildDiscoveryXml(origin, {
      current: keys.current().publicKey,
      old: keys.old()?.publicKey ?? null,
    });
  }

  const app = createSimulatorRoutes({
    discoveryXml,
    stickyMisbehaviour: () => sticky,
    clock: opts.clock,
    newSession: (p) => createClientSession(sessionDeps, p),
    onError: opts.onError,
  });

  return {
    async start(): Promise<void> {
      await loadKeys();
      if (server) return;
      const s = http.createServer(app);
      const host = opts.host ?? '127.0.0.1';
      const port = await listen(s, host, opts.port ?? 0, 'simulatorPort');
      server = s;
      origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    async stop(): Promise<void> {
      const s = server;
      server = null;
      if (s) await closeServer(s, 500);
    },
    /** e.g. http://127.0.0.1:41234 ('' before start). */
    origin: (): string => origin,
    discoveryUrl: (): string => (origin ? `${origin}/hosting/discovery` : ''),
    discoveryXml,
    /** The simulator's own discovery, parsed (for launching it while another profile is active). */
    discovery: (): Discovery => parseDiscovery(discoveryXml()),
    /** The private keys the simulated client signs with (loaded from the data dir on first use). */
    async proofKeys(): Promise<{ current: KeyObject; old: KeyObject | null }> {
      const k = await loadKeys();
      return { current: k.current().privateKey, old: k.old()?.privateKey ?? null };
    },
    async rotateKey(): Promise<void> {
      await (await loadKeys()).rotate();
    },
    fingerprints(): { current: string | null; old: string | null } {
      return { current: keys?.current().fingerprint ?? null, old: keys?.old()?.fingerprint ?? null };
    },
    /** Applied to every action page opened from now on (on top of ?misbehave= on the action URL). */
    setMisbehaviour(list: string | readonly string[]): Misbehaviour[] {
      sticky = parseMisbehaviours(list);
      return sticky;
    },
    misbehaviour: (): readonly Misbehaviour[] => sticky,
    /**
     * A session driven step by step (the control API's headless sessions): the keys are loaded and
     * the sticky misbehaviours are added to the ones asked for, as for an action page.
     */
    async newSession(o: SessionOptions): Promise<ClientSession> {
      await loadKeys();
      const misbehave = [...new Set([...sticky, ...(o.misbehave ?? [])])];
      return createClientSession(sessionDeps, { ...o, misbehave });
    },
    async runSession(o: RunSessionOptions): Promise<RunSessionResult> {
      await loadKeys();
      const misbehave = typeof o.misbehave === 'string' ? [o.misbehave] : [...(o.misbehave ?? [])];
      const s = createClientSession(sessionDeps, {
        wopiSrc: o.wopiSrc,
        accessToken: o.accessToken,
        action: o.action ?? (o.edit ? 'edit' : 'view'),
        misbehave: parseMisbehaviours(misbehave),
        ...(o.signAs ? { signAs: o.signAs } : {}),
        ...(o.headers ? { headers: o.headers } : {}),
      });
      const opened = await s.open();
      let saved = false;
      if (opened.ok && o.edit) saved = (await s.save(o.text)).ok;
      const lockId = s.lockId();
      if (lockId) await s.close();
      const steps = [...s.steps()];
      return { ok: steps.every((x) => x.ok), opened: opened.ok, saved, steps, lockId, info: s.info() };
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;

// Headless simulated-client sessions for the control API: open as a persona, save, close, like
// Office does (read-only with the holder named when the lock is taken, co-authoring under one lock,
// Unlock only when the last co-author leaves). Sessions live in memory, bounded; every change is
// published as 'simulator:session'.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { resolveUser } from '../auth/users';
import type { UserGrant } from '../auth/users';
import type { Persona, TokenGrant } from '../contracts/api';
import type {
  RunSimulatorRequest,
  RunSimulatorResult,
  SimSaveRequest,
  SimSessionView,
  SimStepView,
  SimulatorView,
  StartSimSessionRequest,
} from '../contracts/lab';
import type { EventBus } from '../events/bus';
import { CHECK_TAG_HEADER } from '../protocol/headers';
import { MISBEHAVIOUR_HELP, MISBEHAVIOURS, SimulatorError } from '../simulator';
import type { ClientSession, Misbehaviour, SessionStep, Simulator } from '../simulator';
import { parseMisbehaviours } from '../simulator/wopi-client';

/** Sessions kept at most; past it the oldest closed one (else the oldest) is forgotten. */
export const MAX_SIM_SESSIONS = 50;

/** A failure with a control-API code (the API model passes the code on). */
export class SimSessionError extends Error {
  override readonly name = 'SimSessionError';
  constructor(
    readonly code: 'bad-request' | 'not-found' | 'conflict' | 'not-available',
    message: string,
  ) {
    super(message);
  }
}

export interface SimSessionsDeps {
  simulator: Simulator;
  personas: Persona[];
  bus: EventBus;
  clock: () => number;
  /** Proxy mode: the persona/token model is the upstream host's, not ours. */
  proxied: boolean;
  /** The file's path when it is served, else null. */
  filePath: (fileId: string) => Promise<string | null>;
  mintToken: (fileId: string, user?: string, permissions?: UserGrant['permissions']) => TokenGrant;
}

interface Entry {
  id: string;
  fileId: string;
  fileName: string;
  persona: UserGrant;
  action: 'view' | 'edit' | 'editnew';
  session: ClientSession;
  /** The first session of a co-authoring group (itself when it started the edit). */
  group: string;
  coauthorOf?: string;
  misbehave: Misbehaviour[];
  openedAt: number;
  /** One action at a time per session (a save and a close never interleave). */
  queue: Promise<unknown>;
}

const stepView = (s: SessionStep): SimStepView => ({
  operation: s.operation,
  status: s.status,
  ok: s.ok,
  ...(s.expected ? { expected: true } : {}),
  ...(s.lock !== undefined ? { lock: s.lock } : {}),
  ...(s.lockFailureReason !== undefined ? { lockFailureReason: s.lockFailureReason } : {}),
  proof: s.proof,
  ...(s.error !== undefined ? { error: s.error } : {}),
  correlationId: s.correlationId,
  at: s.at,
});

/** 'Lock → 500 (expected: unsigned)' for each failed step. */
export function failedStepsSummary(steps: readonly SessionStep[], misbehave: readonly string[]): string {
  const lines = steps
    .filter((s) => !s.ok)
    .map(
      (s) =>
        `${s.operation} → ${s.error ? `network error: ${s.error}` : s.status}` +
        (s.expected ? ` (expected: ${misbehave.join(', ')})` : s.serverError ? ` (${s.serverError})` : ''),
    );
  return lines.length ? lines.join('\n') : 'every step succeeded';
}

function misbehaviours(list: readonly string[] | undefined): Misbehaviour[] {
  try {
    return parseMisbehaviours(list ?? []);
  } catch (e) {
    if (e instanceof SimulatorError) throw new SimSessionError('bad-request', e.message);
    throw e;
  }
}

export function createSimSessions(deps: SimSessionsDeps) {
  const { simulator } = deps;
  const entries = new Map<string, Entry>();

  function view(e: Entry): SimSessionView {
    const s = e.session;
    const lockedBy = s.lockedBy();
    const lastSave = s.lastSave();
    return {
      id: e.id,
      fileId: e.fileId,
      fileName: e.fileName,
      persona: { id: e.persona.userId, name: e.persona.userName, permissions: e.persona.permissions },
      action: e.action,
      state: s.state(),
      message: s.message(),
      lockId: s.lockId(),
      ...(lockedBy ? { lockedBy: { ...lockedBy } } : {}),
      ...(e.coauthorOf ? { coauthorOf: e.coauthorOf } : {}),
      misbehave: [...e.misbehave],
      steps: s.steps().map(stepView),
      openedAt: e.openedAt,
      ...(lastSave ? { lastSave: { ...lastSave } } : {}),
    };
  }

  const publish = (e: Entry): SimSessionView => {
    const v = view(e);
    deps.bus.emit('simulator:session', v);
    return v;
  };

  function entry(id: string): Entry {
    const e = typeof id === 'string' ? entries.get(id) : undefined;
    if (!e)
      throw new SimSessionError(
        'not-found',
        `no simulated session ${String(id)} (closed long ago, or never started)`,
      );
    return e;
  }

  /** Runs `fn` after the session's previous action, so actions on one session never overlap. */
  function serial<T>(e: Entry, fn: () => Promise<T>): Promise<T> {
    const run = e.queue.then(fn, fn);
    e.queue = run.catch(() => undefined);
    return run;
  }

  function keep(e: Entry): void {
    entries.set(e.id, e);
    while (entries.size > MAX_SIM_SESSIONS) {
      const closed = [...entries.values()].find((x) => x.session.state() === 'closed');
      entries.delete(closed?.id ?? entries.keys().next().value!);
    }
  }

  /** Open sessions of the same co-authoring group still editing under the lock, other than `e`. */
  const coEditors = (e: Entry): Entry[] =>
    [...entries.values()].filter((x) => x !== e && x.group === e.group && x.session.lockId() !== null);

  function notProxied(): void {
    if (deps.proxied) {
      throw new SimSessionError(
        'not-available',
        'simulated sessions need this workbench to be the WOPI host (they open files as its personas with tokens it mints); in proxy mode launch the upstream file in the host page with the simulator profile instead',
      );
    }
  }

  function token(fileId: string, persona: UserGrant): TokenGrant {
    const known = deps.personas.some((p) => p.id === persona.userId);
    return deps.mintToken(fileId, known ? persona.userId : persona.userName, persona.permissions);
  }

  const tagHeaders = (tag: StartSimSessionRequest['tag']): Record<string, string> | undefined =>
    tag ? { [CHECK_TAG_HEADER]: `${tag.runId} ${tag.caseId}` } : undefined;

  async function servedName(fileId: string): Promise<string> {
    const p = await deps.filePath(fileId);
    if (p === null) throw new SimSessionError('not-found', `no served file with id ${fileId}`);
    return path.posix.basename(p);
  }

  return {
    view(): SimulatorView {
      const sticky = new Set<string>(simulator.misbehaviour());
      return {
        origin: simulator.origin(),
        discoveryUrl: simulator.discoveryUrl(),
        fingerprints: simulator.fingerprints(),
        misbehaviours: MISBEHAVIOURS.map((id) => ({
          id,
          help: MISBEHAVIOUR_HELP[id],
          active: sticky.has(id),
        })),
        sessions: [...entries.values()].map(view),
      };
    },
    setMisbehaviour(list: readonly string[]): void {
      try {
        simulator.setMisbehaviour(list);
      } catch (e) {
        if (e instanceof SimulatorError) throw new SimSessionError('bad-request', e.message);
        throw e;
      }
    },
    rotateKey: (): Promise<void> => simulator.rotateKey(),
    list: (): SimSessionView[] => [...entries.values()].map(view),
    get: (id: string): SimSessionView => view(entry(id)),

    async start(req: StartSimSessionRequest): Promise<SimSessionView> {
      notProxied();
      const fileName = await servedName(req.fileId);
      const persona = resolveUser(deps.personas, req.personaId, undefined);
      const misbehave = misbehaviours(req.misbehave);
      const action = req.action ?? 'edit';
      let joined: Entry | undefined;
      let joinLockId: string | undefined;
      if (req.coauthorWith !== undefined) {
        joined = entry(req.coauthorWith);
        joinLockId = joined.session.lockId() ?? undefined;
        if (joined.fileId !== req.fileId)
          throw new SimSessionError(
            'bad-request',
            `session ${joined.id} edits another file (${joined.fileName})`,
          );
        if (joinLockId === undefined || action === 'view') {
          throw new SimSessionError(
            'conflict',
            `session ${joined.id} is not editing (it is ${joined.session.state()}): co-authoring joins an edit that holds the lock, with action edit`,
          );
        }
      }
      const grant = token(req.fileId, persona);
      const id = randomBytes(8).toString('hex');
      const headers = tagHeaders(req.tag);
      const e: Entry = {
        id,
        fileId: req.fileId,
        fileName,
        persona,
        action,
        group: joined?.group ?? id,
        ...(joined ? { coauthorOf: joined.id } : {}),
        misbehave: [],
        openedAt: deps.clock(),
        queue: Promise.resolve(),
        session: await simulator.newSession({
          wopiSrc: grant.wopiSrc,
          accessToken: grant.accessToken,
          action,
          misbehave,
          ...(joinLockId ? { joinLockId } : {}),
          coEditors: () => coEditors(e).map((x) => x.persona.userId),
          ...(headers ? { headers } : {}),
        }),
      };
      // The sticky ones were added by the simulator: show what the session really does.
      e.misbehave = [...new Set([...simulator.misbehaviour(), ...misbehave])];
      keep(e);
      await serial(e, () => e.session.open());
      return publish(e);
    },

    async save(id: string, req: SimSaveRequest = {}): Promise<SimSessionView> {
      const e = entry(id);
      if (e.session.state() === 'closed' || e.session.state() === 'failed')
        throw new SimSessionError('conflict', `session ${id} is ${e.session.state()}; start a new one`);
      await serial(e, () => e.session.save(req.text));
      return publish(e);
    },

    async close(id: string): Promise<SimSessionView> {
      const e = entry(id);
      if (e.session.state() === 'closed') return view(e);
      // Only the last co-author out unlocks; the others leave the edit going (PROTOCOL §11).
      await serial(e, () => e.session.close({ unlock: coEditors(e).length === 0 }));
      return publish(e);
    },

    async run(req: RunSimulatorRequest): Promise<RunSimulatorResult> {
      notProxied();
      await servedName(req.fileId);
      const persona = resolveUser(deps.personas, req.personaId, undefined);
      const misbehave = [...new Set([...simulator.misbehaviour(), ...misbehaviours(req.misbehave)])];
      const grant = token(req.fileId, persona);
      const headers = tagHeaders(req.tag);
      const r = await simulator.runSession({
        wopiSrc: grant.wopiSrc,
        accessToken: grant.accessToken,
        edit: req.edit ?? true,
        misbehave,
        ...(headers ? { headers } : {}),
      });
      return {
        ok: r.ok,
        opened: r.opened,
        saved: r.saved,
        steps: r.steps.map(stepView),
        summary: failedStepsSummary(r.steps, misbehave),
      };
    },
  };
}

export type SimSessions = ReturnType<typeof createSimSessions>;

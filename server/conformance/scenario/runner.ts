// Runs one scenario through the shared step engine: a CheckRunView of kind 'scenario' with one group
// (the scenario) whose cases are its steps, every WOPI request tagged with the run and the step (the
// simulated client's too, through its session tag), one step after another until one fails (the rest
// are skipped: they depend on it). At the end the faults the scenario set are removed, its simulated
// sessions closed and a lock it took released, whatever happened; it never writes outside its file.
import { setTimeout as sleep } from 'node:timers/promises';
import { findPersona } from '../../auth/users';
import { createHash } from 'node:crypto';
import type {
  CheckCaseResult,
  CheckGroupResult,
  CheckRunView,
  LockEntry,
  Persona,
} from '../../contracts/api';
import type {
  AddFaultRequest,
  FaultMatch,
  SimSessionView,
  StartSimSessionRequest,
} from '../../contracts/lab';
import type { WopiOperation } from '../../contracts/api';
import type { WopiTarget } from '../client';
import { elapsedSince, runCleanup, runStep, startRunSession } from '../engine';
import type { CleanupStep, RunSession } from '../engine';
import { CaseFailure } from '../types';
import { checkResponse, sendWopi } from '../wopi-step';
import type { ResponseExpectation } from '../wopi-step';
import type { LockExpectation, Scenario, ScenarioStep, SessionExpectation } from './types';
import type { ScenarioHost } from './host';

export interface RunScenarioOptions {
  scenario: Scenario;
  host: ScenarioHost;
  runId?: string;
  now?: () => number;
  onUpdate?: (run: CheckRunView) => void;
  /** Per-request timeout of the WOPI client. */
  timeoutMs?: number;
}

const sha256Hex = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const stepName = (i: number): string => `Step${String(i + 1).padStart(2, '0')}`;

/**
 * The group (and case-id prefix) of a scenario's steps: its id in PascalCase, since a check tag's case
 * id is `Group.Case` with a group of letters and digits ('second-user-save' → 'SecondUserSave').
 */
export const scenarioGroupId = (s: Scenario): string =>
  s.id === undefined
    ? 'Scenario'
    : s.id
        .split('-')
        .filter((w) => w !== '')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join('')
        .replace(/^[^A-Za-z]+/, '') || 'Scenario';

export async function runScenario(opts: RunScenarioOptions): Promise<CheckRunView> {
  const { scenario: sc, host } = opts;
  const groupId = scenarioGroupId(sc);
  const session = startRunSession({
    ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    view: {
      wopiSrc: '',
      ownHost: host.ownHost,
      signed: false,
      kind: 'scenario',
      scenario: { ...(sc.id !== undefined ? { id: sc.id } : {}), title: sc.title },
    },
    firstCaseId: `${groupId}.Setup`,
    ...(host.record ? { record: host.record } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.onUpdate ? { onUpdate: opts.onUpdate } : {}),
  });
  const { run } = session;
  const group: CheckGroupResult = { id: groupId, title: sc.title, status: 'ran', cases: [] };
  run.groups.push(group);

  let personas: Persona[];
  let file: { fileId: string; wopiSrc: string };
  try {
    personas = await host.personas();
    for (const p of sc.personas)
      if (findPersona(personas, p) === undefined)
        return session.finish(
          'failed',
          `persona ${JSON.stringify(p)} is not one of this workbench's: ${personaList(personas)}`,
        );
    const proof = sc.requires?.proof;
    if (proof !== undefined) {
      const mode = await host.proofMode();
      if (mode !== proof)
        return session.finish(
          'failed',
          `the scenario needs a host that checks proof keys with "${proof}", and this one uses "${mode}"; run it against \`serve --proof ${proof}\` (the CLI's embedded workbench is set up that way by itself)`,
        );
    }
    file = await host.ensureFile(sc.file.path, sc.file.content);
  } catch (e) {
    return session.finish(
      'failed',
      `could not prepare the scenario's file ${sc.file.path}: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  run.wopiSrc = file.wopiSrc;
  run.fileName = sc.file.path.split('/').pop()!;
  session.publish();

  const ctx = new StepContext(sc, host, session, personas, file);
  let failedAt: number | undefined;
  const seen = new Set<string>();
  for (const step of sc.steps) {
    const r: CheckCaseResult = {
      id: `${groupId}.${stepName(step.index)}`,
      group: groupId,
      name: `${stepName(step.index)} ${step.title}`,
      title: step.title,
      origin: 'workbench',
      status: 'pass',
      durationMs: 0,
      exchanges: [],
    };
    if (failedAt !== undefined) {
      r.status = 'skip';
      r.reason = `not run: step ${failedAt + 1} did not pass, and the steps after it depend on it`;
    } else {
      session.enter(r.id, r.exchanges);
      await runStep(r, () => ctx.run(step));
      // The simulated client's requests are the host's records, tagged with the step that opened
      // the session: the ones this step caused are listed under it too.
      if (step.kind === 'sim') await listSimRequests(host, run.id, ctx.simTagOf(step.session), r, seen);
      for (const id of r.exchanges) seen.add(id);
      if (r.status === 'fail' || r.status === 'error') failedAt = step.index;
    }
    group.cases.push(r);
    session.count(r);
    session.publish();
  }

  // The scenario's own undo, as a last case of its own so a failure to clean up is visible.
  const cleanup: CheckCaseResult = {
    id: `${groupId}.Cleanup`,
    group: groupId,
    name: 'Cleanup',
    title: "remove the scenario's faults, close its simulated sessions, release its locks",
    origin: 'workbench',
    status: 'pass',
    durationMs: 0,
    exchanges: [],
  };
  session.enter(cleanup.id, cleanup.exchanges);
  const t0 = performance.now();
  const errors = await runCleanup(ctx.cleanupSteps());
  if (errors.length > 0) {
    cleanup.status = 'error';
    cleanup.reason = `cleanup failed: ${errors.join('; ')}`;
  }
  // Sessions the steps left open were closed just now, under the tag of the step that opened them.
  for (const tag of ctx.simTags()) await listSimRequests(host, run.id, tag, cleanup, seen);
  cleanup.durationMs = elapsedSince(t0);
  group.cases.push(cleanup);
  session.count(cleanup);
  return session.finish('done');
}

async function listSimRequests(
  host: ScenarioHost,
  runId: string,
  caseId: string | undefined,
  r: CheckCaseResult,
  seen: Set<string>,
): Promise<void> {
  if (caseId === undefined) return;
  try {
    for (const id of await host.stepRequests(runId, caseId)) if (!seen.has(id)) r.exchanges.push(id);
  } catch {
    // Listing is a convenience: the requests are in the log, tagged, whatever happens here.
  }
}

const personaList = (personas: readonly Persona[]): string =>
  personas.map((p) => `${p.id} (${p.name})`).join(', ');

/** What the steps of one run share: tokens per persona, named locks, kept values, sessions, faults. */
class StepContext {
  private readonly tokens = new Map<string, string>();
  private readonly lockIds = new Map<string, string>();
  private readonly vars = new Map<string, string>();
  private readonly sessions = new Map<string, SimSessionView>();
  /** The step each simulated session was opened by: its requests carry that step's tag. */
  private readonly sessionTags = new Map<string, string>();
  private readonly faults: string[] = [];
  private readonly lockIdsTaken = new Set<string>();

  constructor(
    private readonly sc: Scenario,
    private readonly host: ScenarioHost,
    private readonly session: RunSession,
    private readonly personas: Persona[],
    private readonly file: { fileId: string; wopiSrc: string },
  ) {}

  private persona(ref: string | undefined): Persona | undefined {
    if (ref === undefined) return undefined;
    const p = findPersona(this.personas, ref);
    if (!p)
      throw new Error(`no persona ${JSON.stringify(ref)}; this workbench has: ${personaList(this.personas)}`);
    return p;
  }

  private async target(as: string | undefined): Promise<WopiTarget> {
    const p = this.persona(as);
    const key = p?.id ?? '';
    let token = this.tokens.get(key);
    if (token === undefined) {
      token = await this.host.mintToken(this.file.fileId, p?.id);
      this.tokens.set(key, token);
    }
    return { wopiSrc: this.file.wopiSrc, accessToken: token };
  }

  /** A lock reference: `session:NAME` (that session's lock), '' (empty), or a name made unique to the run. */
  private lockId(ref: string): string {
    if (ref === '') return '';
    if (ref.startsWith('session:')) {
      const s = this.simSession(ref.slice('session:'.length));
      if (s.lockId === null) throw new Error(`session ${ref.slice(8)} holds no lock (it is ${s.state})`);
      return s.lockId;
    }
    let id = this.lockIds.get(ref);
    if (id === undefined) {
      id = `${ref}-${this.session.run.id.slice(0, 8)}`;
      this.lockIds.set(ref, id);
    }
    return id;
  }

  /** `{{lock:A}}`, `{{session:S}}` (its lock id) and `{{kept}}` in a string. */
  private fill(text: string): string {
    return text.replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_m, ref: string) => {
      if (ref.startsWith('lock:')) return this.lockId(ref.slice(5));
      if (ref.startsWith('session:')) return this.lockId(ref);
      const v = this.vars.get(ref);
      if (v === undefined)
        throw new Error(`{{${ref}}} is not a value kept by an earlier step (keep: { ${ref}: Version })`);
      return v;
    });
  }

  private fillDeep<T>(v: T): T {
    if (typeof v === 'string') return this.fill(v) as T;
    if (Array.isArray(v)) return v.map((x: unknown) => this.fillDeep(x)) as T;
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.fillDeep(x)])) as T;
    return v;
  }

  simTags(): string[] {
    return [...new Set(this.sessionTags.values())];
  }

  simTagOf(name: string): string | undefined {
    return this.sessionTags.get(name);
  }

  private simSession(name: string): SimSessionView {
    const s = this.sessions.get(name);
    if (!s) throw new Error(`no simulated session ${JSON.stringify(name)} is open`);
    return s;
  }

  async run(step: ScenarioStep): Promise<void> {
    switch (step.kind) {
      case 'fault':
        return this.addFault(step);
      case 'faults-clear':
        for (const id of this.faults.splice(0)) await this.host.removeFault(id);
        return;
      case 'wopi':
        return this.wopi(step);
      case 'sim':
        return this.sim(step);
      case 'lock-lab':
        return this.lockLab(step);
      case 'disk':
        return this.host.touchFile(this.sc.file.path, step.action, Buffer.from(this.fill(step.text)));
      case 'wait':
        if (step.ms !== undefined) await sleep(step.ms);
        if (step.until) await this.waitForLock(step.until, step.timeoutMs);
        return;
      case 'expect':
        if (step.lock) await this.expectLock(step.lock);
        if (step.content !== undefined || step.sha256 !== undefined) {
          const bytes = await this.host.readFile(this.sc.file.path);
          if (step.content !== undefined) {
            const want = this.fill(step.content);
            const text = bytes.toString('utf8');
            if (text !== want)
              throw new CaseFailure(
                `the file on disk holds ${JSON.stringify(want)}`,
                `it holds ${JSON.stringify(text.slice(0, 200))}`,
              );
          }
          if (step.sha256 !== undefined && sha256Hex(bytes) !== step.sha256)
            throw new CaseFailure(
              `the file's SHA-256 is ${step.sha256}`,
              `it is ${sha256Hex(bytes)} (${bytes.length} bytes)`,
            );
        }
        if (step.session) {
          const s = await this.host.simSession(this.simSession(step.session.name).id);
          this.sessions.set(step.session.name, s);
          expectSession(s, step.session, step.session.name);
        }
        return;
    }
  }

  private async addFault(step: Extract<ScenarioStep, { kind: 'fault' }>): Promise<void> {
    const persona = this.persona(step.persona);
    // Whatever the preset or rule matches, the scenario's faults touch its own file only.
    const narrow = (m: FaultMatch | undefined): FaultMatch => ({
      ...(m ?? {}),
      fileId: this.file.fileId,
      ...(step.operations ? { operations: step.operations as WopiOperation[] } : {}),
      ...(persona ? { personaId: persona.id } : {}),
    });
    let req: AddFaultRequest;
    if (step.preset !== undefined) {
      const presets = await this.host.faultPresets();
      const preset = presets.find((p) => p.id === step.preset);
      if (!preset)
        throw new Error(
          `no fault preset ${JSON.stringify(step.preset)}; the presets are: ${presets.map((p) => p.id).join(', ') || '(none)'}`,
        );
      req = {
        preset: preset.id,
        match: narrow(preset.rule.match),
        ...(preset.rule.fire ? { fire: preset.rule.fire } : {}),
      };
    } else {
      const rule = this.fillDeep(step.rule!);
      req = { ...rule, match: narrow(rule.match) };
    }
    const view = await this.host.addFault(req);
    this.faults.push(view.id);
  }

  private async wopi(step: Extract<ScenarioStep, { kind: 'wopi' }>): Promise<void> {
    let target = await this.target(step.as);
    if (step.token !== undefined) target = { ...target, accessToken: this.fill(step.token) };
    const lock = step.lock !== undefined ? this.lockId(step.lock) : undefined;
    if (lock !== undefined && (step.operation === 'Lock' || step.operation === 'UnlockAndRelock'))
      this.lockIdsTaken.add(lock);
    const res = await sendWopi(this.session.client, target, {
      operation: step.operation,
      ...(lock !== undefined ? { lock } : {}),
      ...(step.oldLock !== undefined ? { oldLock: this.lockId(step.oldLock) } : {}),
      ...(step.body !== undefined ? { body: this.fill(step.body) } : {}),
      ...(step.name !== undefined ? { name: this.fill(step.name) } : {}),
    });
    if (step.keep) {
      const body = res.json();
      for (const [name, prop] of Object.entries(step.keep)) {
        const v = body?.[prop];
        if (v === undefined)
          throw new CaseFailure(`a JSON body with ${prop} to keep as ${name}`, res.summary(), res.recordId);
        this.vars.set(name, typeof v === 'string' ? v : JSON.stringify(v));
      }
    }
    if (step.expect) checkResponse(res, this.fillDeep<ResponseExpectation>(step.expect), step.operation);
  }

  private async sim(step: Extract<ScenarioStep, { kind: 'sim' }>): Promise<void> {
    let view: SimSessionView;
    if (step.action === 'open') {
      const persona = this.persona(step.as);
      const req: StartSimSessionRequest = {
        fileId: this.file.fileId,
        ...(persona ? { personaId: persona.id } : {}),
        action: step.mode === 'view' ? 'view' : 'edit',
        ...(step.misbehave ? { misbehave: step.misbehave } : {}),
        ...(step.mode === 'coauthor' && step.with !== undefined
          ? { coauthorWith: this.simSession(step.with).id }
          : {}),
        tag: this.session.tag(),
      };
      view = await this.host.startSimSession(req);
      this.sessionTags.set(step.session, req.tag!.caseId);
    } else {
      const current = this.simSession(step.session);
      view =
        step.action === 'save'
          ? await this.host.saveSimSession(
              current.id,
              step.text !== undefined ? { text: this.fill(step.text) } : {},
            )
          : await this.host.closeSimSession(current.id);
    }
    this.sessions.set(step.session, view);
    if (step.expect) expectSession(view, step.expect, step.session);
  }

  private async lockLab(step: Extract<ScenarioStep, { kind: 'lock-lab' }>): Promise<void> {
    const id = this.file.fileId;
    if (step.action === 'expire') await this.host.expireLock(id);
    else if (step.action === 'unlock') await this.host.forceUnlock(id);
    else {
      const lockId = this.lockId(step.lock!);
      this.lockIdsTaken.add(lockId);
      const persona = this.persona(step.as);
      await this.host.setLock(id, { lockId, ...(persona ? { personaId: persona.id } : {}) });
    }
  }

  private async currentLock(): Promise<LockEntry | undefined> {
    const locks = await this.host.locks();
    return locks.find((l) => l.fileId === this.file.fileId && l.expiresAt > Date.now());
  }

  /** Why the current lock is not what `want` says, or undefined when it is. */
  private async lockMismatch(
    want: LockExpectation,
  ): Promise<{ expected: string; actual: string } | undefined> {
    const current = await this.currentLock();
    const actual =
      current === undefined
        ? 'the file is not locked'
        : `locked with ${JSON.stringify(current.lockId)}${current.holderName !== undefined ? ` held by ${current.holderName}` : ''}`;
    if (want.lock === 'none')
      return current === undefined ? undefined : { expected: 'the file is not locked', actual };
    const lockId = this.lockId(want.lock);
    const expected = `locked with ${JSON.stringify(lockId)} (${want.lock})${want.holder !== undefined ? ` held by ${want.holder}` : ''}`;
    if (current?.lockId !== lockId) return { expected, actual };
    if (want.holder !== undefined) {
      const p = this.persona(want.holder)!;
      if (current.holderId !== p.id && current.holderName !== p.name) return { expected, actual };
    }
    return undefined;
  }

  private async expectLock(want: LockExpectation): Promise<void> {
    const miss = await this.lockMismatch(want);
    if (miss) throw new CaseFailure(miss.expected, miss.actual);
  }

  private async waitForLock(want: LockExpectation, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const miss = await this.lockMismatch(want);
      if (!miss) return;
      if (Date.now() >= until) throw new CaseFailure(`${miss.expected} within ${timeoutMs} ms`, miss.actual);
      await sleep(50);
    }
  }

  /** The run's undo steps, in the order they were made (run newest first). */
  cleanupSteps(): CleanupStep[] {
    // Run newest first: the faults go first (so closing is not faulted), then the sessions close,
    // then a lock the scenario took and left is released (nobody else's).
    const steps: CleanupStep[] = [
      async () => {
        const current = await this.currentLock();
        if (current && this.lockIdsTaken.has(current.lockId)) await this.host.forceUnlock(this.file.fileId);
      },
    ];
    for (const s of this.sessions.values())
      if (s.state !== 'closed') steps.push(() => this.host.closeSimSession(s.id));
    for (const id of this.faults) steps.push(() => this.host.removeFault(id));
    return steps;
  }
}

function expectSession(s: SimSessionView, want: SessionExpectation, name: string): void {
  const actual = `session ${name} is ${s.state}: ${JSON.stringify(s.message)}`;
  if (want.state !== undefined && s.state !== want.state)
    throw new CaseFailure(`session ${name} is ${want.state}`, actual);
  if (want.message !== undefined && !s.message.toLowerCase().includes(want.message.toLowerCase()))
    throw new CaseFailure(`session ${name}'s message mentions ${JSON.stringify(want.message)}`, actual);
  if (want.lockedBy !== undefined) {
    const by = s.lockedBy ? `${s.lockedBy.holder ?? ''} ${s.lockedBy.reason ?? ''} ${s.lockedBy.lockId}` : '';
    if (!by.toLowerCase().includes(want.lockedBy.toLowerCase()))
      throw new CaseFailure(
        `session ${name} names ${JSON.stringify(want.lockedBy)} as the lock holder`,
        s.lockedBy ? `it names ${JSON.stringify(by.trim())}` : `${actual} (no lock holder named)`,
      );
  }
}

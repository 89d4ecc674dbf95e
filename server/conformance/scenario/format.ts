// A scenario file (JSON or YAML): what it may say, read into typed steps. Every mistake is reported
// at once, each naming where it is (`steps[2].wopi`), what is wrong and what to write instead, so a
// QA engineer fixes a file in one go.
import { parse as parseYaml } from 'yaml';
import type { FaultRuleInput } from '../../contracts/lab';
import { STEP_OPERATIONS } from '../wopi-step';
import type { ResponseExpectation, StepOperation } from '../wopi-step';

/** The scratch file a scenario uses when it names none (made at the served folder's root). */
export const DEFAULT_SCENARIO_FILE = 'workbench-scenario.wopitest';
export const DEFAULT_SCENARIO_TEXT = 'WOPI Workbench scenario file. Scenario runs lock and write it.\n';

/** A lock state: 'none' (unlocked), a lock name, or `session:NAME` (that simulated session's lock). */
export interface LockExpectation {
  lock: string;
  /** The persona named as the holder (id or name). */
  holder?: string;
}

export interface SessionExpectation {
  state?: string;
  /** Text the client's message must contain. */
  message?: string;
  /** Text the holder named on a read-only fall-back must contain. */
  lockedBy?: string;
}

export interface StateExpectation {
  lock?: LockExpectation;
  /** The file's bytes on disk, as UTF-8 text. */
  content?: string;
  /** The file's bytes on disk, SHA-256 in hex. */
  sha256?: string;
  /** A simulated session's state. */
  session?: SessionExpectation & { name: string };
}

interface StepBase {
  /** Position in `steps` (0-based), for messages. */
  index: number;
  /** Shown in reports; default made from the step. */
  title: string;
  /** Persona id or name the step acts as. */
  as?: string;
}

export type ScenarioStep = StepBase &
  (
    | { kind: 'fault'; preset?: string; rule?: FaultRuleInput; operations?: string[]; persona?: string }
    | { kind: 'faults-clear' }
    | {
        kind: 'wopi';
        operation: StepOperation;
        lock?: string;
        oldLock?: string;
        body?: string;
        name?: string;
        /** Send this token instead of the persona's (e.g. 'INVALID'). */
        token?: string;
        /** Variable name → CheckFileInfo property to keep, for later `{{name}}`. */
        keep?: Record<string, string>;
        expect?: ResponseExpectation;
      }
    | {
        kind: 'sim';
        action: 'open' | 'save' | 'close';
        session: string;
        mode?: 'edit' | 'view' | 'coauthor';
        with?: string;
        text?: string;
        misbehave?: string[];
        expect?: SessionExpectation;
      }
    | { kind: 'lock-lab'; action: 'set' | 'steal' | 'expire' | 'unlock'; lock?: string }
    | { kind: 'disk'; action: 'append' | 'replace'; text: string }
    | { kind: 'wait'; ms?: number; until?: LockExpectation; timeoutMs: number }
    | ({ kind: 'expect' } & StateExpectation)
  );

export interface Scenario {
  id?: string;
  title: string;
  description: string;
  preset?: string;
  file: { path: string; content: string };
  personas: string[];
  /** What the host must be set up as: proof 'enforce' (a --proof enforce host rejects a bad proof). */
  requires?: { proof?: 'enforce' | 'report' | 'off' };
  steps: ScenarioStep[];
}

/** What is wrong with a scenario document: every mistake, each a line naming its place and the fix. */
export class ScenarioInputError extends Error {
  readonly code = 'bad-request';
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `the scenario is not valid: ${problems[0]}`
        : `the scenario is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'ScenarioInputError';
  }
}

/** Parses JSON or YAML text (YAML is a superset: one parser reads both). */
export function parseScenarioText(text: string, source = 'the scenario'): Scenario {
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new ScenarioInputError([
      `${source} is neither JSON nor YAML: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
    ]);
  }
  return readScenario(doc);
}

const ACTION_KEYS = ['fault', 'faults', 'wopi', 'sim', 'lockLab', 'disk', 'wait', 'expect'] as const;
const STEP_KEYS: Record<string, readonly string[]> = {
  fault: ['operations', 'persona'],
  faults: [],
  wopi: ['lock', 'oldLock', 'body', 'name', 'token', 'keep', 'expect'],
  sim: ['session', 'mode', 'with', 'text', 'misbehave', 'expect'],
  lockLab: ['lock'],
  disk: ['text'],
  wait: [],
  expect: [],
};
const COMMON_KEYS = ['title', 'as'];
const SIM_STATES = ['opening', 'editing', 'read-only', 'viewing', 'failed', 'closed'];
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => JSON.stringify(v) ?? String(v);

/** Checks a parsed document (from JSON or YAML) and answers the typed scenario. */
export function readScenario(doc: unknown): Scenario {
  const problems: string[] = [];
  const bad = (where: string, what: string): void => void problems.push(`${where}: ${what}`);
  if (!isObj(doc))
    throw new ScenarioInputError([
      `the document must be an object with title and steps (got ${Array.isArray(doc) ? 'a list' : show(doc)})`,
    ]);

  const str = (o: Obj, key: string, where: string, required = false): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) bad(where, `is required (a string)`);
      return undefined;
    }
    if (typeof v !== 'string') {
      bad(where, `must be a string, not ${show(v)}`);
      return undefined;
    }
    return v;
  };
  const unknownKeys = (o: Obj, allowed: readonly string[], where: string): void => {
    for (const k of Object.keys(o))
      if (!allowed.includes(k))
        bad(`${where}.${k}`, `is not a field here; the fields are: ${allowed.join(', ')}`);
  };

  unknownKeys(
    doc,
    ['id', 'name', 'title', 'description', 'preset', 'file', 'personas', 'requires', 'steps'],
    'scenario',
  );
  let requires: Scenario['requires'];
  if (doc['requires'] !== undefined) {
    const r = doc['requires'];
    const proof = isObj(r) ? r['proof'] : undefined;
    if (
      !isObj(r) ||
      Object.keys(r).some((k) => k !== 'proof') ||
      !['enforce', 'report', 'off'].includes(String(proof))
    )
      bad('requires', 'must be { proof: enforce } (or report, off): how the host checks proof keys');
    else requires = { proof: proof as 'enforce' | 'report' | 'off' };
  }
  const id = str(doc, 'id', 'id') ?? str(doc, 'name', 'name');
  if (id !== undefined && !ID_PATTERN.test(id))
    bad(
      doc['id'] !== undefined ? 'id' : 'name',
      `${show(id)} must be kebab-case (a-z, 0-9, -), e.g. "second-user-save"`,
    );
  const title = str(doc, 'title', 'title') ?? id;
  if (title === undefined) bad('title', 'is required: one line saying what the scenario reproduces');
  const description = str(doc, 'description', 'description') ?? '';
  const preset = str(doc, 'preset', 'preset');

  let file = { path: DEFAULT_SCENARIO_FILE, content: DEFAULT_SCENARIO_TEXT };
  if (doc['file'] !== undefined) {
    if (typeof doc['file'] === 'string') file = { ...file, path: doc['file'] };
    else if (isObj(doc['file'])) {
      unknownKeys(doc['file'], ['path', 'content'], 'file');
      file = {
        path: str(doc['file'], 'path', 'file.path') ?? file.path,
        content: str(doc['file'], 'content', 'file.content') ?? file.content,
      };
    } else bad('file', 'must be a path in the served folder, or { path, content }');
  }
  const pathProblem = relPathProblem(file.path);
  if (pathProblem !== undefined) bad('file.path', pathProblem);

  let personas: string[] = [];
  if (doc['personas'] !== undefined) {
    const p = doc['personas'];
    if (!Array.isArray(p) || p.some((x) => typeof x !== 'string' || x === ''))
      bad('personas', 'must be a list of persona ids or names, e.g. [editor, coauthor]');
    else personas = p as string[];
  }

  const steps: ScenarioStep[] = [];
  const sessions = new Set<string>();
  const rawSteps = doc['steps'];
  if (!Array.isArray(rawSteps) || rawSteps.length === 0)
    bad('steps', 'is required: a non-empty list of steps (fault, wopi, sim, lockLab, disk, wait, expect)');
  else
    rawSteps.forEach((raw, index) => {
      const where = `steps[${index}]`;
      const step = readStep(raw, index, where, { bad, str, unknownKeys, personas, sessions });
      if (step) steps.push(step);
    });

  if (problems.length > 0) throw new ScenarioInputError(problems);
  return {
    ...(id !== undefined ? { id } : {}),
    title: title!,
    description,
    ...(preset !== undefined ? { preset } : {}),
    file,
    personas,
    ...(requires !== undefined ? { requires } : {}),
    steps,
  };
}

/** Why `rel` is not a plain relative path inside the served folder, if it is not. */
export function relPathProblem(rel: string): string | undefined {
  if (rel === '') return 'must not be empty';
  if (/^([a-zA-Z]:)?[\\/]/.test(rel))
    return `${show(rel)} must be relative to the served folder, not absolute`;
  if (rel.split(/[\\/]/).some((seg) => seg === '..' || seg === '.' || seg === ''))
    return `${show(rel)} must stay inside the served folder (no "..", ".", or empty segments)`;
  if (rel.includes('\u0000')) return 'must not contain NUL';
  return undefined;
}

interface ReadTools {
  bad: (where: string, what: string) => void;
  str: (o: Obj, key: string, where: string, required?: boolean) => string | undefined;
  unknownKeys: (o: Obj, allowed: readonly string[], where: string) => void;
  personas: string[];
  sessions: Set<string>;
}

function readStep(raw: unknown, index: number, where: string, t: ReadTools): ScenarioStep | undefined {
  const { bad, str } = t;
  if (!isObj(raw)) {
    bad(where, `must be an object with one of ${ACTION_KEYS.join(', ')}`);
    return undefined;
  }
  const actions = ACTION_KEYS.filter((k) => raw[k] !== undefined);
  // `expect` is also a field of wopi and sim steps: it is the action only alone.
  const kinds = actions.length > 1 ? actions.filter((k) => k !== 'expect') : actions;
  if (kinds.length !== 1) {
    bad(
      where,
      kinds.length === 0
        ? `says nothing to do; give one of ${ACTION_KEYS.join(', ')}`
        : `has ${kinds.join(' and ')}; one step does one thing: split it into ${kinds.length} steps`,
    );
    return undefined;
  }
  const key = kinds[0]!;
  t.unknownKeys(raw, [key, ...STEP_KEYS[key]!, ...COMMON_KEYS], where);
  const as = str(raw, 'as', `${where}.as`);
  if (
    as !== undefined &&
    t.personas.length > 0 &&
    !t.personas.some((p) => p.toLowerCase() === as.toLowerCase())
  )
    bad(
      `${where}.as`,
      `${show(as)} is not among the scenario's personas (${t.personas.join(', ')}); add it there`,
    );
  const title = str(raw, 'title', `${where}.title`);
  const base = (made: string): StepBase => ({
    index,
    title: title ?? made,
    ...(as !== undefined ? { as } : {}),
  });
  const v = raw[key];
  const oneOf = <T extends string>(value: unknown, allowed: readonly T[], at: string): T | undefined => {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const near =
      typeof value === 'string' ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
    bad(at, `${show(value)} is not one of ${allowed.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`);
    return undefined;
  };

  switch (key) {
    case 'fault': {
      if (!isObj(v) || (v['preset'] === undefined) === (v['rule'] === undefined)) {
        bad(`${where}.fault`, 'must be { preset: ID } or { rule: {...a fault rule...} } (one of them)');
        return undefined;
      }
      t.unknownKeys(v, ['preset', 'rule'], `${where}.fault`);
      const preset = str(v, 'preset', `${where}.fault.preset`);
      if (v['rule'] !== undefined && (!isObj(v['rule']) || !isObj(v['rule']['effect'])))
        bad(
          `${where}.fault.rule`,
          'must be a fault rule with an effect, e.g. { effect: { kind: status, status: 503 } }',
        );
      const operations = raw['operations'];
      if (
        operations !== undefined &&
        (!Array.isArray(operations) || operations.some((x) => typeof x !== 'string'))
      )
        bad(`${where}.operations`, 'must be a list of WOPI operation names, e.g. [PutFile]');
      const persona = str(raw, 'persona', `${where}.persona`);
      return {
        ...base(preset !== undefined ? `fault: preset ${preset}` : 'fault: a rule'),
        kind: 'fault',
        ...(preset !== undefined ? { preset } : {}),
        ...(isObj(v['rule']) ? { rule: v['rule'] as unknown as FaultRuleInput } : {}),
        ...(Array.isArray(operations) ? { operations: operations as string[] } : {}),
        ...(persona !== undefined ? { persona } : {}),
      };
    }
    case 'faults':
      if (v !== 'clear') {
        bad(
          `${where}.faults`,
          `${show(v)} is not an action; write faults: clear (removes the faults this scenario set)`,
        );
        return undefined;
      }
      return { ...base('faults: clear'), kind: 'faults-clear' };
    case 'wopi': {
      const operation = oneOf(v, STEP_OPERATIONS, `${where}.wopi`);
      const expect = readResponseExpectation(raw['expect'], `${where}.expect`, bad);
      let keep: Record<string, string> | undefined;
      if (raw['keep'] !== undefined) {
        if (!isObj(raw['keep']) || Object.values(raw['keep']).some((x) => typeof x !== 'string'))
          bad(
            `${where}.keep`,
            'must map variable names to CheckFileInfo properties, e.g. { before: Version }',
          );
        else keep = raw['keep'] as Record<string, string>;
      }
      const lock = str(raw, 'lock', `${where}.lock`);
      const oldLock = str(raw, 'oldLock', `${where}.oldLock`);
      const body = str(raw, 'body', `${where}.body`);
      const name = str(raw, 'name', `${where}.name`);
      const token = str(raw, 'token', `${where}.token`);
      if (operation === 'UnlockAndRelock' && oldLock === undefined)
        bad(`${where}.oldLock`, 'is required for UnlockAndRelock (the lock name it replaces)');
      if (operation === undefined) return undefined;
      return {
        ...base(`${as ?? 'default persona'}: ${operation}${lock !== undefined ? ` (lock ${lock})` : ''}`),
        kind: 'wopi',
        operation,
        ...(lock !== undefined ? { lock } : {}),
        ...(oldLock !== undefined ? { oldLock } : {}),
        ...(body !== undefined ? { body } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(token !== undefined ? { token } : {}),
        ...(keep !== undefined ? { keep } : {}),
        ...(expect !== undefined ? { expect } : {}),
      };
    }
    case 'sim': {
      const action = oneOf(v, ['open', 'save', 'close'] as const, `${where}.sim`);
      const session = str(raw, 'session', `${where}.session`) ?? 'main';
      const mode =
        raw['mode'] === undefined
          ? undefined
          : oneOf(raw['mode'], ['edit', 'view', 'coauthor'] as const, `${where}.mode`);
      const withSession = str(raw, 'with', `${where}.with`);
      const text = str(raw, 'text', `${where}.text`);
      const misbehave = raw['misbehave'];
      if (
        misbehave !== undefined &&
        (!Array.isArray(misbehave) || misbehave.some((x) => typeof x !== 'string'))
      )
        bad(`${where}.misbehave`, 'must be a list of misbehaviour ids, e.g. [unsigned]');
      if (action === 'open') {
        if (t.sessions.has(session))
          bad(
            `${where}.session`,
            `${show(session)} is already open in an earlier step; give this one another name`,
          );
        t.sessions.add(session);
        if (mode === 'coauthor' && withSession === undefined)
          bad(`${where}.with`, 'is required with mode coauthor: the session whose edit this one joins');
        if (withSession !== undefined && !t.sessions.has(withSession))
          bad(`${where}.with`, `${show(withSession)} is not a session opened by an earlier step`);
      } else if (action !== undefined && !t.sessions.has(session))
        bad(
          `${where}.session`,
          `${show(session)} is not a session opened by an earlier step (sim: open, session: ${session})`,
        );
      const expect = readSessionExpectation(raw['expect'], `${where}.expect`, bad, false);
      if (action === undefined) return undefined;
      return {
        ...base(
          `${as !== undefined ? `${as}: ` : ''}simulated client ${action}${action === 'open' ? ` (${mode ?? 'edit'})` : ''} [${session}]`,
        ),
        kind: 'sim',
        action,
        session,
        ...(mode !== undefined ? { mode } : {}),
        ...(withSession !== undefined ? { with: withSession } : {}),
        ...(text !== undefined ? { text } : {}),
        ...(Array.isArray(misbehave) ? { misbehave: misbehave as string[] } : {}),
        ...(expect !== undefined ? { expect } : {}),
      };
    }
    case 'lockLab': {
      const action = oneOf(v, ['set', 'steal', 'expire', 'unlock'] as const, `${where}.lockLab`);
      const lock = str(raw, 'lock', `${where}.lock`);
      if ((action === 'set' || action === 'steal') && lock === undefined)
        bad(`${where}.lock`, `is required for lockLab: ${action} (the lock name to set)`);
      if (action === undefined) return undefined;
      return {
        ...base(
          `${as !== undefined ? `${as}: ` : ''}lock lab ${action}${lock !== undefined ? ` ${lock}` : ''}`,
        ),
        kind: 'lock-lab',
        action,
        ...(lock !== undefined ? { lock } : {}),
      };
    }
    case 'disk': {
      const action = oneOf(v, ['append', 'replace'] as const, `${where}.disk`);
      const text = str(raw, 'text', `${where}.text`, true);
      if (action === undefined || text === undefined) return undefined;
      return { ...base(`the file changes on disk (${action})`), kind: 'disk', action, text };
    }
    case 'wait': {
      if (typeof v === 'number') {
        if (!(v >= 0 && v <= 60_000)) bad(`${where}.wait`, `${v} ms is out of range; give 0..60000`);
        return { ...base(`wait ${v} ms`), kind: 'wait', ms: v, timeoutMs: 0 };
      }
      if (!isObj(v) || (v['ms'] === undefined && v['until'] === undefined)) {
        bad(`${where}.wait`, 'must be a number of ms, or { ms } or { until: { lock: none }, timeoutMs }');
        return undefined;
      }
      t.unknownKeys(v, ['ms', 'until', 'timeoutMs'], `${where}.wait`);
      const ms = v['ms'];
      if (ms !== undefined && (typeof ms !== 'number' || !(ms >= 0 && ms <= 60_000)))
        bad(`${where}.wait.ms`, 'must be a number of ms from 0 to 60000');
      const timeoutMs = v['timeoutMs'] ?? 10_000;
      if (typeof timeoutMs !== 'number' || !(timeoutMs > 0 && timeoutMs <= 120_000))
        bad(`${where}.wait.timeoutMs`, 'must be a number of ms from 1 to 120000');
      const until =
        v['until'] === undefined ? undefined : readLockExpectation(v['until'], `${where}.wait.until`, bad);
      return {
        ...base(until ? `wait until the lock is ${until.lock}` : `wait ${String(ms)} ms`),
        kind: 'wait',
        ...(typeof ms === 'number' ? { ms } : {}),
        ...(until ? { until } : {}),
        timeoutMs: typeof timeoutMs === 'number' ? timeoutMs : 10_000,
      };
    }
    case 'expect': {
      const e = readStateExpectation(v, `${where}.expect`, bad, t.sessions);
      return e ? { ...base(`expect ${Object.keys(e).join(', ')}`), kind: 'expect', ...e } : undefined;
    }
  }
  return undefined;
}

type Bad = (where: string, what: string) => void;

function readResponseExpectation(v: unknown, where: string, bad: Bad): ResponseExpectation | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return { status: v };
  if (!isObj(v)) {
    bad(where, 'must be a status number or { status, headers, json, body }');
    return undefined;
  }
  for (const k of Object.keys(v))
    if (!['status', 'headers', 'json', 'body'].includes(k))
      bad(`${where}.${k}`, 'is not a field here; the fields are: status, headers, json, body');
  const out: ResponseExpectation = {};
  const s = v['status'];
  if (s !== undefined) {
    const list = Array.isArray(s) ? s : [s];
    if (
      list.length === 0 ||
      list.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 100 || x > 599)
    )
      bad(`${where}.status`, `${show(s)} must be an HTTP status (e.g. 409) or a list of them`);
    else out.status = Array.isArray(s) ? (s as number[]) : (s as number);
  }
  if (v['headers'] !== undefined) {
    const h = v['headers'];
    if (!isObj(h) || Object.values(h).some((x) => x !== null && typeof x !== 'string'))
      bad(`${where}.headers`, 'must map header names to values (a string, or null for "absent")');
    else out.headers = h as Record<string, string | null>;
  }
  if (v['json'] !== undefined) {
    if (!isObj(v['json']))
      bad(`${where}.json`, 'must map CheckFileInfo properties to values, or to { not: value }');
    else out.json = v['json'];
  }
  if (v['body'] !== undefined) {
    if (typeof v['body'] !== 'string') bad(`${where}.body`, 'must be the expected body text');
    else out.body = v['body'];
  }
  return out;
}

function readLockExpectation(v: unknown, where: string, bad: Bad): LockExpectation | undefined {
  if (typeof v === 'string') return { lock: v };
  if (isObj(v) && typeof v['lock'] === 'string') {
    for (const k of Object.keys(v))
      if (k !== 'lock' && k !== 'holder')
        bad(`${where}.${k}`, 'is not a field here; the fields are: lock, holder');
    if (v['holder'] !== undefined && typeof v['holder'] !== 'string')
      bad(`${where}.holder`, 'must be a persona id or name');
    return { lock: v['lock'], ...(typeof v['holder'] === 'string' ? { holder: v['holder'] } : {}) };
  }
  bad(where, 'must be none, a lock name, session:NAME, or { lock, holder }');
  return undefined;
}

function readSessionExpectation(
  v: unknown,
  where: string,
  bad: Bad,
  needsName: boolean,
): (SessionExpectation & { name?: string }) | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && !needsName) v = { state: v };
  if (!isObj(v)) {
    bad(where, 'must be { state, message, lockedBy }');
    return undefined;
  }
  const allowed = needsName ? ['name', 'state', 'message', 'lockedBy'] : ['state', 'message', 'lockedBy'];
  for (const k of Object.keys(v))
    if (!allowed.includes(k))
      bad(`${where}.${k}`, `is not a field here; the fields are: ${allowed.join(', ')}`);
  const out: SessionExpectation & { name?: string } = {};
  for (const k of ['state', 'message', 'lockedBy', 'name'] as const) {
    const x = v[k];
    if (x === undefined) continue;
    if (typeof x !== 'string') bad(`${where}.${k}`, 'must be a string');
    else out[k] = x;
  }
  if (out.state !== undefined && !SIM_STATES.includes(out.state))
    bad(
      `${where}.state`,
      `${show(out.state)} is not a session state; the states are: ${SIM_STATES.join(', ')}`,
    );
  return out;
}

function readStateExpectation(
  v: unknown,
  where: string,
  bad: Bad,
  sessions: Set<string>,
): StateExpectation | undefined {
  if (!isObj(v) || Object.keys(v).length === 0) {
    bad(where, 'must say what to expect: { lock, content, sha256, session }');
    return undefined;
  }
  for (const k of Object.keys(v))
    if (!['lock', 'content', 'sha256', 'session'].includes(k))
      bad(`${where}.${k}`, 'is not a field here; the fields are: lock, content, sha256, session');
  const out: StateExpectation = {};
  if (v['lock'] !== undefined) {
    const l = readLockExpectation(v['lock'], `${where}.lock`, bad);
    if (l) out.lock = l;
  }
  if (v['content'] !== undefined) {
    if (typeof v['content'] !== 'string') bad(`${where}.content`, 'must be the expected text of the file');
    else out.content = v['content'];
  }
  if (v['sha256'] !== undefined) {
    if (typeof v['sha256'] !== 'string' || !/^[0-9a-fA-F]{64}$/.test(v['sha256']))
      bad(`${where}.sha256`, 'must be 64 hex digits (sha256sum of the expected file)');
    else out.sha256 = v['sha256'].toLowerCase();
  }
  if (v['session'] !== undefined) {
    const s = readSessionExpectation(v['session'], `${where}.session`, bad, true);
    if (s) {
      const name = s.name ?? 'main';
      if (!sessions.has(name))
        bad(`${where}.session.name`, `${show(name)} is not a session opened by an earlier step`);
      out.session = { ...s, name };
    }
  }
  return out;
}

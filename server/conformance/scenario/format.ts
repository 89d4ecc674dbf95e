// A scenario file (JSON or YAML): what it may say, read into typed steps (./types.ts). Every mistake is
// reported at once, each naming where it is (`steps[2].wopi`), what is wrong and what to write instead,
// so a QA engineer fixes a file in one go. The `expect` parts are read in ./read-expect.ts.
import { parse as parseYaml } from 'yaml';
import type { FaultRuleInput } from '../../contracts/lab';
import { STEP_OPERATIONS } from '../wopi-step';
import {
  isObj,
  readLockExpectation,
  readResponseExpectation,
  readSessionExpectation,
  readStateExpectation,
  show,
} from './read-expect';
import { DEFAULT_SCENARIO_FILE, DEFAULT_SCENARIO_TEXT } from './types';
import type { Scenario, ScenarioStep, StepBase } from './types';

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
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

type Obj = Record<string, unknown>;

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

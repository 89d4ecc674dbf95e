// The QA lab: fault rules and their presets, the simulated client (its misbehaviours, keys and
// sessions) and the shipped scenarios. Loaded with everything else, kept current by 'faults:changed'
// and 'simulator:session'. A host whose lab parts are not built answers 501 'not-available': that part
// says so in its view instead of failing the whole page.
import type {
  FaultPresetView,
  FaultRuleView,
  ScenarioSummary,
  SimSessionView,
  SimulatorView,
} from '../../server/contracts/lab';
import { ControlApiError, describeError } from '../api/control-client';
import { Store } from './store';

/** How one part of the lab loaded: not yet, fine, not on this host (501), or failed (why). */
export type PartState =
  | { kind: 'loading' }
  | { kind: 'ready' }
  | { kind: 'unavailable'; message: string }
  | { kind: 'error'; message: string };

export type LabPart = 'faults' | 'presets' | 'simulator' | 'scenarios';

export interface LabState {
  rules: readonly FaultRuleView[];
  presets: readonly FaultPresetView[];
  /** The simulator without its sessions (those are in `sessions`, kept by id). */
  simulator: Omit<SimulatorView, 'sessions'> | null;
  /** Newest first. */
  sessions: readonly SimSessionView[];
  scenarios: readonly ScenarioSummary[];
  parts: Record<LabPart, PartState>;
}

const LOADING: PartState = { kind: 'loading' };

/** A failure as a part state: 501 'not-available' means the host does not have this part. */
export function partFailure(err: unknown): PartState {
  if (isUnavailable(err)) return { kind: 'unavailable', message: err.message };
  return { kind: 'error', message: describeError(err) };
}

/** True when an action failed because the host lacks the part (say so, rather than "error"). */
export function isUnavailable(err: unknown): err is ControlApiError {
  return err instanceof ControlApiError && (err.status === 501 || err.code === 'not-available');
}

export class LabStore extends Store<LabState> {
  constructor() {
    super({
      rules: [],
      presets: [],
      simulator: null,
      sessions: [],
      scenarios: [],
      parts: { faults: LOADING, presets: LOADING, simulator: LOADING, scenarios: LOADING },
    });
  }

  setPart(part: LabPart, state: PartState): void {
    this.update({ parts: { ...this.state.parts, [part]: state } });
  }

  /** The whole rule list (GET /v1/faults, an import's answer, or a 'faults:changed' event). */
  setRules(rules: readonly FaultRuleView[]): void {
    this.update({ rules, parts: { ...this.state.parts, faults: { kind: 'ready' } } });
  }

  /** One rule's new state (an add, toggle or rename answer), before its event arrives. */
  upsertRule(rule: FaultRuleView): void {
    const rules = this.state.rules.some((r) => r.id === rule.id)
      ? this.state.rules.map((r) => (r.id === rule.id ? rule : r))
      : [...this.state.rules, rule];
    this.update({ rules });
  }

  dropRule(id: string): void {
    this.update({ rules: this.state.rules.filter((r) => r.id !== id) });
  }

  setPresets(presets: readonly FaultPresetView[]): void {
    this.update({ presets, parts: { ...this.state.parts, presets: { kind: 'ready' } } });
  }

  setSimulator(view: SimulatorView): void {
    const { sessions, ...rest } = view;
    this.update({
      simulator: rest,
      sessions: newestFirst(sessions),
      parts: { ...this.state.parts, simulator: { kind: 'ready' } },
    });
  }

  /** Keys and misbehaviours only (a rotate or sticky answer): the sessions stay as the events left them. */
  setSimulatorMeta(view: SimulatorView): void {
    const { sessions: _sessions, ...rest } = view;
    this.update({ simulator: rest });
  }

  /** A session's latest state (an action's answer or a 'simulator:session' event); the later one wins. */
  applySession(session: SimSessionView): void {
    const held = this.state.sessions.find((s) => s.id === session.id);
    if (held && !isLaterSession(session, held)) return;
    const others = this.state.sessions.filter((s) => s.id !== session.id);
    this.update({ sessions: newestFirst([session, ...others]) });
  }

  setScenarios(scenarios: readonly ScenarioSummary[]): void {
    this.update({ scenarios, parts: { ...this.state.parts, scenarios: { kind: 'ready' } } });
  }
}

function newestFirst(sessions: readonly SimSessionView[]): SimSessionView[] {
  return [...sessions].sort((a, b) => b.openedAt - a.openedAt);
}

/** A closed session never reopens, and a session only gains steps: an older copy (late answer) loses. */
function isLaterSession(next: SimSessionView, held: SimSessionView): boolean {
  if (held.state === 'closed' && next.state !== 'closed') return false;
  return next.steps.length >= held.steps.length;
}

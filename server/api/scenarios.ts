// Scenario runs through the API model: the shipped scenarios (the repository's scenarios/ folder), and
// a run of one (shipped by id, a parsed document, or JSON/YAML text) that goes on in the background
// like a conformance run: one run at a time (shared with conformance runs), stored in check_runs after
// every step and published as 'check:updated'. The scenario reaches the workbench through the API
// model itself (faults, simulator, lock lab) and the engine (its file, tokens, the WOPI listener).
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckRunView } from '../contracts/api';
import type { ScenarioSummary } from '../contracts/lab';
import { withoutSecret } from '../conformance/report';
import { parseScenarioText, readScenario, ScenarioInputError } from '../conformance/scenario/format';
import type { Scenario } from '../conformance/scenario/types';
import type { ScenarioHost } from '../conformance/scenario/host';
import { runScenario as runScenarioSteps } from '../conformance/scenario/runner';
import { stageBuffer } from '../storage/atomic-write';
import { StorageError } from '../storage/errors';
import { realInside, toAbs } from '../storage/paths';
import { emptyTotals } from '../conformance/engine';
import { runSlotBusy } from './checks';
import type { RunSlot } from './checks';
import { ApiModelError, toApiModelError } from './errors';
import type { ApiEngine, ApiModel, ApiRooms } from './types';
import { objectInput } from './validate';

type ScenariosApi = Pick<ApiModel, 'scenarios' | 'runScenario'>;

const SCENARIO_EXT = /\.(json|ya?ml)$/i;
const TEXT_MAX = 256 * 1024;

/** The scenarios/ folder shipped with the package: found above this module (source or bundle). */
export function shippedScenariosDir(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    const candidate = path.join(dir, 'scenarios');
    if (existsSync(path.join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}

export interface ShippedScenario {
  id: string;
  file: string;
  scenario: Scenario;
}

/** Every shipped scenario, read and checked; id = its `id`, else its file name without extension. */
export function shippedScenarios(dir = shippedScenariosDir()): ShippedScenario[] {
  if (dir === undefined) return [];
  return readdirSync(dir)
    .filter((name) => SCENARIO_EXT.test(name))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const scenario = parseScenarioText(readFileSync(file, 'utf8'), file);
      const id = scenario.id ?? name.replace(SCENARIO_EXT, '');
      return { id, file, scenario: { ...scenario, id } };
    });
}

/** A scenario from a RunScenarioRequest: shipped by id, a document, or JSON/YAML text. */
export function scenarioOf(input: unknown, shipped: () => ShippedScenario[]): Scenario {
  const o = objectInput(
    input,
    '{"id":"second-user-save-rejected"}, {"scenario":{...}} or {"text":"title: ..."}',
  );
  const given = ['id', 'scenario', 'text'].filter((k) => o[k] !== undefined && o[k] !== null);
  if (given.length !== 1)
    throw new ApiModelError(
      'bad-request',
      'give exactly one of id (a shipped scenario), scenario (a document) or text (JSON or YAML)',
    );
  try {
    if (o['id'] !== undefined) {
      if (typeof o['id'] !== 'string') throw new ApiModelError('bad-request', 'id must be a string');
      const list = shipped();
      const found = list.find((s) => s.id === o['id']);
      if (!found)
        throw new ApiModelError(
          'not-found',
          `no shipped scenario ${JSON.stringify(o['id'])}; the scenarios are: ${list.map((s) => s.id).join(', ') || '(none)'}`,
        );
      return found.scenario;
    }
    if (o['text'] !== undefined) {
      if (typeof o['text'] !== 'string' || o['text'].length > TEXT_MAX)
        throw new ApiModelError(
          'bad-request',
          `text must be the scenario's JSON or YAML, at most ${TEXT_MAX} characters`,
        );
      return parseScenarioText(o['text']);
    }
    return readScenario(o['scenario']);
  } catch (e) {
    if (e instanceof ScenarioInputError) throw new ApiModelError('bad-request', e.message);
    throw e;
  }
}

/** The scenario host over this workbench: the API model for the lab, the engine for the file. */
function modelHost(engine: ApiEngine, model: () => ApiModel, minted: string[]): ScenarioHost {
  const { index, options: o } = engine;
  const m = model;
  const abs = async (rel: string): Promise<string> => realInside(o.folder, toAbs(o.folder, rel));
  return {
    ownHost: true,
    // What the host never answered (a dropped connection, say) is still recorded, client side.
    record: (rec) => engine.publishRecord(rec),
    personas: () => m().personas(),
    proofMode: async () => (await m().status()).proofMode,
    async ensureFile(rel, content) {
      const local = engine.wopiUrl();
      if (!local)
        throw new ApiModelError('not-available', 'the WOPI listener is not bound (start() the workbench)');
      let existing = await index.ensure(rel);
      if (!existing) {
        const staged = await stageBuffer(o.folder, Buffer.from(content));
        try {
          await index.create(rel, staged);
        } catch (e) {
          await staged.discard();
          if (!(e instanceof StorageError && e.code === 'exists')) throw e;
        }
        existing = await index.ensure(rel);
      }
      if (!existing)
        throw new ApiModelError(
          'conflict',
          `${rel} exists in ${o.folder} but is not a file this host serves`,
        );
      const fileId = existing.row.id;
      return { fileId, wopiSrc: `${local}/wopi/files/${encodeURIComponent(fileId)}` };
    },
    async mintToken(fileId, personaId) {
      const grant = engine.mintTokenForId(fileId, personaId);
      minted.push(grant.accessToken);
      return grant.accessToken;
    },
    readFile: async (rel) => readFile(await abs(rel)),
    async touchFile(rel, action, data) {
      // Like an external editor: the bytes change in place, behind the host's back.
      const handle = await open(await abs(rel), action === 'append' ? 'a' : 'r+');
      try {
        if (action === 'replace') await handle.truncate(0);
        await handle.write(data, 0, data.length, action === 'append' ? null : 0);
      } finally {
        await handle.close();
      }
    },
    faultPresets: () => m().faultPresets(),
    addFault: (req) => m().addFault(req),
    removeFault: (id) => m().removeFault(id),
    startSimSession: (req) => m().startSimSession(req),
    saveSimSession: (id, req) => m().saveSimSession(id, req),
    closeSimSession: (id) => m().closeSimSession(id),
    simSession: (id) => m().simSession(id),
    setLock: (fileId, req) => m().setLock(fileId, req),
    forceUnlock: (fileId) => m().forceUnlock(fileId),
    expireLock: (fileId) => m().expireLock(fileId),
    locks: () => m().locks(),
    stepRequests: async (runId, caseId) =>
      (await m().requests({ q: `${runId} ${caseId}`, limit: 1000 })).items
        .filter((r) => r.check?.runId === runId && r.check.caseId === caseId)
        .map((r) => r.id)
        .reverse(),
  };
}

export function createScenariosApi(
  engine: ApiEngine,
  _rooms: ApiRooms,
  model: () => ApiModel,
  slot: RunSlot,
): ScenariosApi {
  const { bus, checkRuns, options: o } = engine;
  // The shipped files come with the package and do not change: read and checked once, on first use.
  let shippedOnce: ShippedScenario[] | undefined;
  const shipped = (): ShippedScenario[] => (shippedOnce ??= shippedScenarios());

  return {
    scenarios: async (): Promise<ScenarioSummary[]> =>
      shipped().map(({ id, scenario: s }) => ({
        id,
        title: s.title,
        description: s.description,
        ...(s.preset !== undefined ? { preset: s.preset } : {}),
        steps: s.steps.length,
      })),

    async runScenario(input): Promise<CheckRunView> {
      const scenario = scenarioOf(input, shipped);
      if (slot.active !== null) throw runSlotBusy(slot);
      const runId = randomUUID();
      slot.active = runId;
      const minted: string[] = [];
      const publish = (view: CheckRunView): void => {
        // A host may echo a token in an answer a failure quotes: every token the run minted is scrubbed.
        const run = minted.reduce((v, t) => withoutSecret(v, t), view);
        if (run.state !== 'running' && slot.active === run.id) slot.active = null;
        checkRuns.save(run);
        bus.emit('check:updated', run);
      };
      const first: CheckRunView = {
        id: runId,
        startedAt: o.clock(),
        state: 'running',
        wopiSrc: '',
        ownHost: true,
        signed: false,
        kind: 'scenario',
        scenario: { ...(scenario.id !== undefined ? { id: scenario.id } : {}), title: scenario.title },
        groups: [],
        totals: emptyTotals(),
      };
      publish(first);
      void runScenarioSteps({
        scenario,
        host: modelHost(engine, model, minted),
        runId,
        now: o.clock,
        onUpdate: publish,
      }).catch((e: unknown) => {
        publish({
          ...first,
          state: 'failed',
          finishedAt: o.clock(),
          error: `internal error: ${toApiModelError(e).message}`,
        });
      });
      return structuredClone(first);
    },
  };
}

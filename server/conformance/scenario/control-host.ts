// The scenario host over the typed control client: a workbench in another process on this machine
// (a running `serve`). Its calls are the control routes; the file's bytes are read and touched in the
// served folder the run reports (GET /v1/settings), confined to that folder.
import { setTimeout as sleep } from 'node:timers/promises';
import { open, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ControlClient } from '../../contracts/client';
import { relPathProblem } from './format';
import type { ScenarioHost } from './host';

export interface ControlHostOptions {
  client: ControlClient;
  /** How long to wait for the run's folder watcher to list a file the scenario made (default 5 s). */
  indexWaitMs?: number;
}

export async function controlScenarioHost(opts: ControlHostOptions): Promise<ScenarioHost> {
  const { client } = opts;
  const [settings, status] = await Promise.all([client.settings(), client.status()]);
  const folder = path.resolve(settings.folder);
  const wopiBase = status.wopiUrl.replace(/\/+$/, '');

  /** The absolute path of `rel`, refused when it would leave the served folder. */
  const abs = (rel: string): string => {
    const problem = relPathProblem(rel);
    const out = path.resolve(folder, ...rel.split('/'));
    if (problem !== undefined || !out.startsWith(folder + path.sep))
      throw new Error(`file ${JSON.stringify(rel)} ${problem ?? 'is outside the served folder'}`);
    return out;
  };
  const findId = async (rel: string): Promise<string | undefined> =>
    (await client.files()).find((f) => f.path === rel)?.id;

  return {
    ownHost: true,
    personas: () => client.personas(),
    proofMode: async () => (await client.status()).proofMode,
    async ensureFile(rel, content) {
      let id = await findId(rel);
      if (id === undefined) {
        try {
          // 'wx': made only when missing; an existing file keeps every byte.
          await writeFile(abs(rel), content, { flag: 'wx' });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const until = Date.now() + (opts.indexWaitMs ?? 5000);
        while (id === undefined && Date.now() < until) {
          await sleep(100);
          id = await findId(rel);
        }
      }
      if (id === undefined)
        throw new Error(
          `${rel} is in ${folder} but the running serve does not list it (is its folder watcher off?); restart serve to index it`,
        );
      return { fileId: id, wopiSrc: `${wopiBase}/wopi/files/${encodeURIComponent(id)}` };
    },
    mintToken: async (fileId, personaId) =>
      (await client.mintToken({ body: { fileId, ...(personaId !== undefined ? { personaId } : {}) } }))
        .accessToken,
    readFile: (rel) => readFile(abs(rel)),
    async touchFile(rel, action, data) {
      // Like an external editor: the bytes change in place, behind the host's back.
      const handle = await open(abs(rel), action === 'append' ? 'a' : 'r+');
      try {
        if (action === 'replace') await handle.truncate(0);
        await handle.write(data, 0, data.length, action === 'append' ? null : 0);
      } finally {
        await handle.close();
      }
    },
    faultPresets: () => client.faultPresets(),
    addFault: (body) => client.addFault({ body }),
    removeFault: (ruleId) => client.removeFault({ params: { ruleId } }),
    startSimSession: (body) => client.startSimSession({ body }),
    saveSimSession: (sessionId, body) => client.saveSimSession({ params: { sessionId }, body }),
    closeSimSession: (sessionId) => client.closeSimSession({ params: { sessionId } }),
    simSession: (sessionId) => client.simSession({ params: { sessionId } }),
    setLock: (fileId, body) => client.setLock({ params: { fileId }, body }),
    forceUnlock: (fileId) => client.forceUnlock({ params: { fileId } }),
    expireLock: (fileId) => client.expireLock({ params: { fileId } }),
    locks: () => client.locks(),
    stepRequests: async (runId, caseId) =>
      (await client.requests({ query: { q: `${runId} ${caseId}`, limit: 1000 } })).items
        .filter((r) => r.check?.runId === runId && r.check.caseId === caseId)
        .map((r) => r.id)
        .reverse(),
  };
}

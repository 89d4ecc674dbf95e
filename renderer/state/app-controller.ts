// Boot and live wiring: first load of every list, then the SSE stream, then events into stores.
// On a stream reset (backlog no longer holds our seq, or the engine restarted) everything is refetched.
import type { AnyEventEnvelope } from '../../server/contracts';
import { clientFor, describeError, type ControlClient } from '../api/control-client';
import { EventStream } from '../api/event-stream';
import { readSession, type Session } from '../api/session';
import { CheckStore } from './checks';
import { ConnectionStore } from './connection';
import { HostMessageStore } from './host-messages';
import { LabStore, partFailure, type LabPart } from './lab';
import { NoticeStore } from './notices';
import { RequestLogStore } from './request-log';
import { UiStore } from './ui-state';
import { WorkspaceStore, type Section } from './workspace';

const FIRST_PAGE = 1_000;

export interface App {
  session: Session;
  client: ControlClient;
  workspace: WorkspaceStore;
  requests: RequestLogStore;
  hostMessages: HostMessageStore;
  checks: CheckStore;
  /** The QA lab: fault rules, presets, the simulated client, scenarios. */
  lab: LabStore;
  connection: ConnectionStore;
  notices: NoticeStore;
  ui: UiStore;
  stream: EventStream;
  /** Merge the host's PostMessage history into the live list (at start, and when the view opens). */
  loadHostMessageHistory(): Promise<void>;
  /** Undo local clears of the request list: its first page again, from the host. */
  showClearedRequests(): Promise<void>;
  /** Refetch every list (used after a stream reset and by "Reload"). */
  reload(): Promise<number | undefined>;
  stop(): void;
}

export function createApp(): App {
  const session = readSession();
  const client = clientFor(session);
  const workspace = new WorkspaceStore();
  const requests = new RequestLogStore();
  const hostMessages = new HostMessageStore();
  const checks = new CheckStore();
  const lab = new LabStore();
  const connection = new ConnectionStore();
  const notices = new NoticeStore();
  const ui = new UiStore();

  async function section<T>(name: Section, load: () => Promise<T>, apply: (value: T) => void) {
    try {
      apply(await load());
      workspace.setError(name, undefined);
    } catch (err) {
      workspace.setError(name, describeError(err));
    }
  }

  // The lab's parts load on their own: a host without them (501) still boots, each view says so.
  async function labPart<T>(part: LabPart, load: () => Promise<T>, apply: (value: T) => void) {
    try {
      apply(await load());
    } catch (err) {
      lab.setPart(part, partFailure(err));
    }
  }

  async function reload(): Promise<number | undefined> {
    let lastSeq: number | undefined;
    // Status first: its lastSeq is where the stream resumes, so nothing between the lists and the
    // stream is missed (events already reflected in the lists are applied idempotently).
    await section(
      'status',
      () => client.status(),
      (status) => {
        lastSeq = status.lastSeq;
        workspace.setStatus(status);
      },
    );
    await Promise.all([
      section(
        'files',
        () => client.files(),
        (files) => workspace.setFiles(files),
      ),
      section(
        'locks',
        () => client.locks(),
        (locks) => workspace.setLocks(locks),
      ),
      section(
        'requests',
        () => client.requests({ query: { limit: FIRST_PAGE } }),
        (page) => requests.load(page),
      ),
      section(
        'discovery',
        () => client.discovery(),
        (discovery) => workspace.setDiscovery(discovery),
      ),
      section(
        'tunnel',
        () => client.tunnel(),
        (tunnel) => workspace.setTunnel(tunnel),
      ),
      section(
        'personas',
        () => client.personas(),
        (personas) => workspace.setPersonas(personas),
      ),
      section(
        'profiles',
        () => client.profiles(),
        (profiles) => workspace.setProfiles(profiles),
      ),
      // Its own store, not a workspace section: a host without conformance runs still boots.
      (async () => {
        try {
          checks.load(await client.checks());
        } catch (err) {
          checks.setError(describeError(err));
        }
      })(),
      labPart(
        'faults',
        () => client.faults(),
        (rules) => lab.setRules(rules),
      ),
      labPart(
        'presets',
        () => client.faultPresets(),
        (presets) => lab.setPresets(presets),
      ),
      labPart(
        'simulator',
        () => client.simulator(),
        (view) => lab.setSimulator(view),
      ),
      labPart(
        'scenarios',
        () => client.scenarios(),
        (list) => lab.setScenarios(list),
      ),
    ]);
    return lastSeq;
  }

  function onEvent(envelope: AnyEventEnvelope): void {
    switch (envelope.type) {
      case 'request:completed':
        requests.enqueue(envelope.data);
        break;
      case 'lock:changed':
        workspace.applyLock(envelope.data);
        break;
      case 'file:added':
      case 'file:changed':
        workspace.upsertFile(envelope.data);
        break;
      case 'file:removed':
        workspace.removeFile(envelope.data.fileId);
        break;
      case 'version:created':
        workspace.versionCreated(envelope.data);
        break;
      case 'discovery:refreshed':
        workspace.setDiscovery(envelope.data);
        break;
      case 'tunnel:changed':
        workspace.setTunnel(envelope.data);
        break;
      case 'log:cleared':
        // The host deleted its log (this inspector or another asked): nothing of it is left anywhere.
        requests.hostCleared();
        break;
      case 'engine:warning':
        workspace.addWarning(envelope.data);
        notices.push('error', `${envelope.data.code}: ${envelope.data.message}`);
        break;
      case 'hostpage:message':
        hostMessages.enqueue(envelope);
        break;
      case 'check:updated':
        checks.apply(envelope.data);
        break;
      case 'faults:changed':
        lab.setRules(envelope.data);
        break;
      case 'simulator:session':
        lab.applySession(envelope.data);
        break;
    }
  }

  /** Resolves once the first lists are in and the stream started from the seq read before them. */
  let booted: () => void = () => {};
  const boot = new Promise<void>((resolve) => (booted = resolve));

  // Asked only after boot: the stream then resumed from a seq read before this request, so history
  // and stream overlap (merged by seq) instead of leaving a gap between them.
  async function loadHostMessageHistory(): Promise<void> {
    await boot;
    const run = hostMessages.currentRun;
    hostMessages.setHistoryState('loading');
    try {
      hostMessages.addHistory(await client.hostMessages(), run);
    } catch (err) {
      hostMessages.setHistoryState('failed');
      notices.push('error', `Could not load earlier PostMessages: ${describeError(err)}`);
    }
  }

  const stream = new EventStream(client, {
    onEvent,
    onConnection: (info) => connection.setInfo(info),
    onReset: async (cause) => {
      notices.push(
        'info',
        cause === 'restart'
          ? 'The host restarted; reloaded everything'
          : 'Missed too many live events; reloaded everything',
      );
      if (cause === 'restart') hostMessages.newRun();
      const since = await reload();
      // Missed PostMessages (or a new run's) come back from the host's history.
      void loadHostMessageHistory();
      return since;
    },
  });

  const onOnline = () => stream.retryNow();
  window.addEventListener('online', onOnline);

  void (async () => {
    const since = await reload();
    workspace.markReady();
    stream.start(since);
    booted();
    // Read now, not when the PostMessages view first opens: its count in the navigation is right from the start.
    void loadHostMessageHistory();
  })();

  async function showClearedRequests(): Promise<void> {
    await section(
      'requests',
      () => client.requests({ query: { limit: FIRST_PAGE } }),
      (page) => requests.unhide(page),
    );
  }

  return {
    session,
    client,
    workspace,
    requests,
    hostMessages,
    checks,
    lab,
    connection,
    notices,
    ui,
    stream,
    loadHostMessageHistory,
    showClearedRequests,
    reload,
    stop() {
      window.removeEventListener('online', onOnline);
      stream.stop();
    },
  };
}

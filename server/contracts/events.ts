// The typed event map: the spine between protocol code and every subscriber
// (request log writer, SSE broadcaster, CLI printer, UI). Types only.
import type {
  CheckRunView,
  DiscoveryStateView,
  FileView,
  LockView,
  RequestRecord,
  TunnelState,
  VersionView,
} from './api';
import type { FaultRuleView, SimSessionView } from './lab';

export type LockChangeCause = 'wopi' | 'control' | 'expired';
export type FileChangeCause = 'wopi-put' | 'wopi-put-relative' | 'wopi-rename' | 'external' | 'restore';
export type FileRemoveCause = 'wopi-delete' | 'external';
/** Why a file is new: found by the first index of the folder, seen on disk later, or created by WOPI. */
export type FileAddCause = 'initial-scan' | 'external' | 'wopi-put-relative';

export interface HostPageMessage {
  /** Host-page session (one per launch). */
  sessionId: string;
  fileId: string;
  /** 'from-client': posted by the WOPI client frame to the host page; 'to-client': the reverse. */
  direction: 'from-client' | 'to-client';
  messageId: string;
  values: Record<string, unknown>;
  /** Epoch ms when the host page saw it. */
  at: number;
}

export interface EventMap {
  'request:completed': RequestRecord;
  'lock:changed': {
    fileId: string;
    path: string;
    before: LockView | null;
    after: LockView | null;
    cause: LockChangeCause;
    /** WOPI operation or control action that caused it. */
    action: string;
  };
  'file:added': FileView & { cause?: FileAddCause };
  /** `previous`: size and version before an outside change (cause 'external'). */
  'file:changed': FileView & {
    cause: FileChangeCause;
    previousPath?: string;
    previous?: { size: number; version: string };
  };
  'file:removed': {
    fileId: string;
    path: string;
    cause: FileRemoveCause;
    /** Size and version when it was last seen (outside removals). */
    previous?: { size: number; version: string };
  };
  'version:created': VersionView;
  'discovery:refreshed': DiscoveryStateView;
  'tunnel:changed': TunnelState;
  'hostpage:message': HostPageMessage;
  'log:cleared': { at: number };
  /** A conformance run started, finished a case, or ended (the whole run each time). */
  'check:updated': CheckRunView;
  'engine:warning': { code: string; message: string };
  /** The fault rules changed (added, removed, edited, imported, or a count moved): all of them. */
  'faults:changed': FaultRuleView[];
  /** A simulated-client session opened, saved, fell back to read-only, or closed. */
  'simulator:session': SimSessionView;
}

export type EventType = keyof EventMap;

export interface EventEnvelope<K extends EventType = EventType> {
  /** Strictly increasing per engine run; the SSE id, so clients resume without gaps. */
  seq: number;
  type: K;
  /** Epoch ms. */
  at: number;
  data: EventMap[K];
}

/** Any envelope, discriminated on `type`. */
export type AnyEventEnvelope = { [K in EventType]: EventEnvelope<K> }[EventType];

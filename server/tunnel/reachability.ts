// Goes out through the public URL and back, one hop at a time, so a failure names where the path
// breaks: the local listener, the tunnel server (or reverse proxy) host, or the public URL itself.
// The public hop must answer with this workbench's instance id, or it is someone else's tunnel.
import type { ReachabilityHop, ReachabilityResult } from '../contracts/api';
import { dialTarget, httpGet, ProbeError, tcpProbe, type HttpGetResult } from './http-get';
import { pickTimers, type Timers } from './timers';

export const HOP_LOCAL = 'local listener';
export const HOP_SERVER = 'tunnel server';
export const HOP_PUBLIC = 'public URL';

export interface ReachabilityInput {
  instanceId: string;
  /** Port of the WOPI listener on 127.0.0.1. */
  localPort: number;
  /** Public origin, or null when no tunnel is up. */
  publicUrl: string | null;
  /** localtunnel server; absent for a public URL served by the person's own proxy. */
  server?: string;
  now: () => number;
  timeoutMs?: number;
  /** Ends a check nobody waits for any more (the tunnel was stopped or replaced). */
  signal?: AbortSignal;
  setTimer?: Timers['setTimer'];
  clearTimer?: Timers['clearTimer'];
}

interface Health {
  ok: boolean;
  instance?: string;
}

function readHealth(res: HttpGetResult): Health | null {
  try {
    const v = JSON.parse(res.body.toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const rec = v as Record<string, unknown>;
    const instance = rec['instance'];
    return { ok: rec['ok'] === true, ...(typeof instance === 'string' ? { instance } : {}) };
  } catch {
    return null;
  }
}

function networkWhy(e: unknown): string {
  if (!(e instanceof ProbeError)) return String(e);
  switch (e.code) {
    case 'ECONNREFUSED':
      return 'connection refused (nothing listens there)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
      return e.message;
    default:
      return `${e.code}: ${e.message}`;
  }
}

function healthUrl(origin: string): string {
  return `${origin.replace(/\/+$/, '')}/health`;
}

/** Explains a public answer that is not our health JSON. */
function explainPublic(res: HttpGetResult, instanceId: string): string | null {
  const health = readHealth(res);
  const text = res.body.toString('utf8', 0, Math.min(res.body.length, 4096));
  if (res.status === 200 && health?.ok) {
    if (health.instance === instanceId) return null;
    return (
      `answered, but as another workbench (instance ${health.instance ?? 'unknown'}, expected ${instanceId}): ` +
      'the tunnel leads to a different machine or an earlier run'
    );
  }
  if (res.status === 401 && /localtunnel|tunnel reminder|tunnel website/i.test(text)) {
    return 'the localtunnel reminder page answered instead of the workbench (send `bypass-tunnel-reminder`)';
  }
  if (res.status === 404 && !health) {
    return 'HTTP 404 from the tunnel server: it does not know this subdomain (the tunnel is not connected)';
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    return `HTTP ${res.status}: the tunnel server is up but could not reach this workbench through the tunnel`;
  }
  if (res.status === 200)
    return 'HTTP 200, but not the workbench health answer: something else serves this URL';
  return `unexpected HTTP ${res.status}`;
}

async function localHop(
  input: ReachabilityInput,
  timers: Timers,
  timeoutMs: number,
): Promise<ReachabilityHop> {
  const url = `http://127.0.0.1:${input.localPort}/health`;
  try {
    const res = await httpGet(url, { timers, timeoutMs, signal: input.signal });
    const health = readHealth(res);
    if (res.status !== 200 || !health?.ok) {
      return {
        name: HOP_LOCAL,
        ok: false,
        detail: `${url} answered HTTP ${res.status} without a healthy status`,
      };
    }
    if (health.instance !== input.instanceId) {
      return {
        name: HOP_LOCAL,
        ok: false,
        detail: `${url} is another workbench (instance ${health.instance ?? 'unknown'}, expected ${input.instanceId})`,
      };
    }
    return { name: HOP_LOCAL, ok: true, detail: `${url} answered as this workbench` };
  } catch (e) {
    return { name: HOP_LOCAL, ok: false, detail: `${url}: ${networkWhy(e)}; is the WOPI listener running?` };
  }
}

async function serverHop(
  input: ReachabilityInput,
  timers: Timers,
  timeoutMs: number,
): Promise<ReachabilityHop> {
  const origin = input.server ?? input.publicUrl;
  const name = input.server ? HOP_SERVER : 'public host';
  if (!origin) return { name: HOP_SERVER, ok: false, detail: 'no tunnel is running' };
  const url = new URL(origin);
  const { host, port } = dialTarget(url);
  try {
    await tcpProbe(host, port, { timers, timeoutMs, signal: input.signal });
    return { name, ok: true, detail: `${url.hostname}:${port} accepts connections` };
  } catch (e) {
    return { name, ok: false, detail: `${url.hostname}:${port}: ${networkWhy(e)}` };
  }
}

async function publicHop(
  input: ReachabilityInput,
  timers: Timers,
  timeoutMs: number,
): Promise<ReachabilityHop> {
  if (!input.publicUrl)
    return { name: HOP_PUBLIC, ok: false, detail: 'no public URL: the tunnel is not online' };
  const url = healthUrl(input.publicUrl);
  try {
    // Skips the loca.lt reminder page, which would otherwise answer instead of us.
    const headers = { 'bypass-tunnel-reminder': '1', 'user-agent': 'wopi-workbench-reachability' };
    const res = await httpGet(url, { timers, timeoutMs, headers, signal: input.signal });
    const why = explainPublic(res, input.instanceId);
    if (why) return { name: HOP_PUBLIC, ok: false, detail: `${url}: ${why}` };
    return {
      name: HOP_PUBLIC,
      ok: true,
      detail: `${url} reached this workbench (instance ${input.instanceId})`,
    };
  } catch (e) {
    return { name: HOP_PUBLIC, ok: false, detail: `${url}: ${networkWhy(e)}` };
  }
}

export async function checkReachability(input: ReachabilityInput): Promise<ReachabilityResult> {
  const timers = pickTimers(input);
  const timeoutMs = input.timeoutMs ?? 10_000;
  // Every hop runs even after a failure: together they say where the path breaks.
  const hops = [
    await localHop(input, timers, timeoutMs),
    await serverHop(input, timers, timeoutMs),
    await publicHop(input, timers, timeoutMs),
  ];
  return { ok: hops.every((h) => h.ok), checkedAt: input.now(), hops };
}

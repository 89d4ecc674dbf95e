// The inspecting proxy (`serve --upstream URL`): in proxy mode the WOPI listener forwards every
// `/wopi/…` request to the person's own WOPI host and records each exchange as this host's are
// recorded (and linted). The host page and the rest of the listener stay this workbench's.
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ProofVerdict, RequestRecord } from '../contracts/api';
import { describeUpstreamFile } from './describe';
import type { UpstreamFile } from './describe';
import type { Exchanger, ProofCheck } from './forward';
import { forward } from './forward';
import type { ProxyFaults } from './faults';
import { applyProxyFault, proxyFault } from './faults';
import { createLockView } from './lock-view';
import { parseUpstream } from './upstream';

export { UpstreamFileError } from './describe';
export type { UpstreamFile } from './describe';
export { parseUpstream, upstreamPath } from './upstream';

export interface ProxyDeps {
  /** The upstream URL, already checked (config/options normalizeUpstream). */
  upstream: string;
  instanceId: string;
  /** The public base URL clients call (X-Forwarded-Host/Proto, and the URL proofs are checked against). */
  publicBase: () => string;
  proof: (p: ProofCheck) => ProofVerdict | undefined;
  publish: (rec: RequestRecord, how?: { lint?: boolean }) => void;
  clock: () => number;
  logBodyInlineBytes: number;
  onError: (e: unknown) => void;
  /** The fault rules: status, latency and dropped-connection rules apply in front of the forwarding. */
  faults?: ProxyFaults;
}

export function createProxy(deps: ProxyDeps) {
  const upstream = parseUpstream(deps.upstream);
  const secure = upstream.protocol === 'https:';
  // Kept-alive connections: a fresh TCP (or TLS) handshake per request would be most of the cost.
  const agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const send = (path: string, method: string, headers: string[]) =>
    (secure ? https : http).request({
      agent,
      hostname: upstream.hostname,
      port: upstream.port,
      method,
      path,
      headers,
    });
  let parsed: { base: string; url: URL } | undefined;
  const publicUrl = (): URL => {
    const base = deps.publicBase();
    if (parsed?.base !== base) {
      let url: URL;
      try {
        url = new URL(base);
      } catch {
        url = new URL('http://localhost');
      }
      parsed = { base, url };
    }
    return parsed.url;
  };
  const exchanger: Exchanger = {
    upstream,
    send,
    instanceId: deps.instanceId,
    publicBase: deps.publicBase,
    publicUrl,
    proof: deps.proof,
    publish: deps.publish,
    // Sub-millisecond starts when the clock is the real one, so the linter can tell which of two
    // quick exchanges came first (whole milliseconds cannot on loopback).
    startedAt: deps.clock === Date.now ? (t0) => performance.timeOrigin + t0 : () => deps.clock(),
    logBodyInlineBytes: deps.logBodyInlineBytes,
    locks: createLockView(),
    files: new Map(),
    onError: deps.onError,
  };
  return {
    /** The upstream as configured (for status and the console). */
    upstream: upstream.href,
    /** Forwards one `/wopi…` request (the WOPI router calls it in place of this host's handlers). */
    handle(req: IncomingMessage, res: ServerResponse, t0: number): void {
      try {
        const fault = deps.faults ? proxyFault(deps.faults, req) : null;
        if (fault)
          return applyProxyFault(fault, req, res, {
            t0,
            startedAt: exchanger.startedAt,
            publish: deps.publish,
            forward: (publish) => forward({ ...exchanger, publish }, req, res, t0),
          });
        forward(exchanger, req, res, t0);
      } catch (e) {
        deps.onError(e);
        if (!res.headersSent) res.writeHead(500).end();
      }
    },
    /** Name, owner and user of an upstream file, read with the token the person's host minted. */
    describe: (fileId: string, accessToken: string): Promise<UpstreamFile> =>
      describeUpstreamFile(upstream, send, fileId, accessToken),
    stop(): void {
      agent.destroy();
    },
  };
}

export type Proxy = ReturnType<typeof createProxy>;

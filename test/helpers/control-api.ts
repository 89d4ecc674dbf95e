// The control API over real HTTP against a real engine with all its rooms (port 0, temp folder,
// real SQLite): a raw caller that sends the control token by default (for asserting on statuses and
// headers) and the shared typed client for everything else. Both keep every response, so a file can
// close with the no-CORS check over all of them.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createControlClient, type ControlClient, type FileView } from '../../server/contracts';
import type { Workbench } from '../../server/workbench';
import { forSuite, startWiredEngine } from './engine-fixture';
import { sendRequest } from './wopi-client';
import type { WopiResponse, WopiTarget } from './wopi-client';

export interface CallOptions {
  /** The bearer token; the engine's control token when undefined, no Authorization header when null. */
  token?: string | null;
  headers?: Record<string, string>;
  /** Sent as is when a string, else as JSON (Content-Type application/json unless given). */
  body?: unknown;
}

export interface ControlBench {
  wb: Workbench;
  /** The control API's origin, e.g. http://127.0.0.1:PORT. */
  base: string;
  port: number;
  /** Every response `call` received, in order. */
  seen: WopiResponse[];
  call(method: string, route: string, opts?: CallOptions): Promise<WopiResponse>;
  /** The shared typed client with the control token; its responses are in `seen` too. */
  client: ControlClient;
  /** GET /v1/files, and the file at `rel`. */
  fileByPath(rel: string): Promise<FileView>;
  /** POST /v1/tokens for `fileId`: a WOPI target a following WOPI call can use. */
  wopiTarget(fileId: string): Promise<WopiTarget>;
  dispose(): Promise<void>;
}

export const json = <T>(res: WopiResponse): T => JSON.parse(res.text) as T;
export const errorCode = (res: WopiResponse): string => json<{ error: { code: string } }>(res).error.code;

async function startControlBench(files: Record<string, string>): Promise<ControlBench> {
  const started = await startWiredEngine({ prefix: 'wb-control-api-', files });
  const { wb } = started;
  const base = wb.controlUrl();
  const seen: WopiResponse[] = [];
  const call = async (method: string, route: string, opts: CallOptions = {}): Promise<WopiResponse> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const token = opts.token === undefined ? wb.controlToken : opts.token;
    if (token !== null) headers['Authorization'] = `Bearer ${token}`;
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await sendRequest({
      method,
      url: `${base}${route}`,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    seen.push(res);
    return res;
  };
  // The typed client's transport: the same raw sender, so its responses are recorded like call()'s.
  const recorded: typeof fetch = async (input, init) => {
    const body = init?.body;
    assert.ok(body === undefined || body === null || typeof body === 'string', 'the client sends JSON text');
    const res = await sendRequest({
      method: init?.method ?? 'GET',
      url: input instanceof Request ? input.url : String(input),
      headers: Object.fromEntries(new Headers(init?.headers)),
      ...(typeof body === 'string' ? { body } : {}),
    });
    seen.push(res);
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of Array.isArray(value) ? value : [value ?? '']) headers.append(name, v);
    }
    const empty = res.body.length === 0 || res.status === 204 || res.status === 304;
    return new Response(empty ? null : res.text, { status: res.status, headers });
  };
  const client = createControlClient({ baseUrl: base, token: wb.controlToken, fetch: recorded });
  return {
    wb,
    base,
    port: Number(new URL(base).port),
    seen,
    call,
    client,
    async fileByPath(rel) {
      const listed = await client.files();
      const f = listed.find((x) => x.path === rel);
      assert.ok(f, `no ${rel} in ${JSON.stringify(listed.map((x) => x.path))}`);
      return f;
    },
    async wopiTarget(fileId) {
      const grant = await client.mintToken({ body: { fileId } });
      return { wopiSrc: grant.wopiSrc, accessToken: grant.accessToken };
    },
    dispose: () => started.dispose(),
  };
}

/** A control-API engine over `files` for the enclosing suite (or file), started before and removed after. */
export function controlApiForSuite(files: Record<string, string>): ControlBench {
  return forSuite(() => startControlBench(files));
}

/**
 * The closing test of a control-API file: no response the file's tests received carried an
 * Access-Control-* header. `atLeast` (the number of calls the file makes) guards against a vacuous pass.
 */
export function itSentNoCorsHeaders(bench: ControlBench, atLeast: number): void {
  void it('never sent an Access-Control-* header on any response above', (t) => {
    t.diagnostic(`${bench.seen.length} responses checked`);
    assert.ok(bench.seen.length >= atLeast, `only ${bench.seen.length} responses seen`);
    for (const res of bench.seen) {
      const cors = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
      assert.deepEqual(cors, [], res.describe());
    }
  });
}

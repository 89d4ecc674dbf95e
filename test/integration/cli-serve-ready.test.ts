// `serve --json` promises that its first line is the ready event. With --tunnel the tunnel emits
// states while the run starts; they must come after ready, never before it. The loopback tunnel
// server stands in for the public tunnel service.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnServe } from '../helpers/cli-process';
import { startEchoApp, startTunnelServer, type EchoApp, type TunnelServer } from '../helpers/tunnel-server';

describe('serve --json --tunnel', () => {
  let root = '';
  let folder = '';
  let server: TunnelServer;
  let notATunnelServer: EchoApp;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wb-ready-first-'));
    folder = path.join(root, 'folder');
    await mkdir(folder);
    await writeFile(path.join(folder, 'a.txt'), 'a');
    server = await startTunnelServer({ host: '127.0.0.1' });
    notATunnelServer = await startEchoApp('not-a-tunnel');
  });
  after(async () => {
    await server?.stop();
    await notATunnelServer?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  /** Every stdout line of a run that got ready, then was stopped. */
  async function linesOf(args: string[], dataDir: string): Promise<Array<Record<string, unknown>>> {
    const s = await spawnServe(folder, dataDir, args);
    s.kill('SIGTERM');
    await s.exitWithin();
    return s
      .stdout()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  it('the first line is ready, with the tunnel URL; the tunnel states of start-up follow it', async () => {
    const events = await linesOf(
      ['--tunnel', '--tunnel-server', server.url, '--subdomain', 'wb-ready-first'],
      path.join(root, 'data-ok'),
    );
    const first = events[0]!;
    assert.equal(first['event'], 'ready', JSON.stringify(events, null, 1));
    assert.equal(first['publicUrl'], server.domainUrl('wb-ready-first'));
    assert.deepEqual(first['tunnel'], { status: 'online', provider: 'localtunnel' });
    const tunnel = events.filter((e) => e['event'] === 'tunnel').map((e) => e['status']);
    assert.deepEqual(tunnel.slice(0, 2), ['connecting', 'online'], 'start-up states, printed after ready');
    assert.equal(events.at(-1)!['event'], 'stopped');
  });

  it('a tunnel that fails: ready still comes first, and says the tunnel failed and why', async () => {
    const events = await linesOf(
      ['--tunnel', '--tunnel-server', `http://127.0.0.1:${notATunnelServer.port}`],
      path.join(root, 'data-failed'),
    );
    const first = events[0]!;
    assert.equal(first['event'], 'ready');
    const t = first['tunnel'] as { status: string; error?: string };
    assert.equal(t.status, 'failed');
    assert.match(t.error ?? '', /tunnel server/);
    assert.equal(first['publicUrl'], first['wopiUrl'], 'links fall back to the local URL');
  });
});

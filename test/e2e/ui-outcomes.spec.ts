// Notices say what the host answered, never what was asked for: a tunnel start is announced neutrally
// and that notice becomes the outcome (a failure is an error, with no green "starting" beside it), a
// discovery refresh that failed is not "refreshed", an unreachable host is not "checked".
import { expect, test, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServe, type ServeHandle } from '../helpers/cli-process';
import { shoot } from '../helpers/screenshots';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test.describe.serial('notices tell the outcome', () => {
  let handle: ServeHandle;
  let discovery: http.Server;
  let discoveryUp = true;

  test.beforeAll(async () => {
    if (!existsSync(path.join(repoRoot, 'dist', 'renderer', 'index.html'))) {
      throw new Error('The UI is not built: run `npm run build:ui` before the e2e tests');
    }
    const xml = readFileSync(path.join(repoRoot, 'test/fixtures/discovery/office.xml'), 'utf8');
    discovery = http.createServer((_req, res) => {
      if (discoveryUp) res.writeHead(200, { 'content-type': 'text/xml' }).end(xml);
      else res.writeHead(503).end('down for maintenance');
    });
    await new Promise<void>((resolve) => discovery.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(discovery.address() as AddressInfo).port}/hosting/discovery`;
    handle = await startServe({
      files: { 'Proposal.docx': Buffer.alloc(2_000, 7) },
      args: ['--discovery-url', url],
    });
  });

  test.afterAll(async () => {
    await handle?.stop();
    discovery?.close();
  });

  async function open(page: Page, view: string): Promise<void> {
    await page.goto(`${handle.controlUrl}/#token=${handle.controlToken}&view=${view}`);
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
  }

  test('a tunnel start that fails says "Starting tunnel…", then only that it failed', async ({ page }) => {
    await open(page, 'tunnel');
    // Connection refused: the host retries for a few seconds before giving up, so the pending notice shows.
    const port = await closedPort();
    await page.getByTestId('tunnel-server').fill(`http://127.0.0.1:${port}`);
    await page.getByTestId('tunnel-start').click();
    await expect(page.getByTestId('notice-info')).toHaveText('Starting tunnel…');
    await expect(page.getByTestId('notice-success')).toHaveCount(0);
    await page.screenshot({ path: path.join(repoRoot, 'test/e2e/out/tunnel-starting.png') });

    const failed = page.getByTestId('notice-error');
    await expect(failed).toContainText('Tunnel failed', { timeout: 20_000 });
    await expect(page.locator('[data-testid="tunnel-status"] [data-status]')).toHaveAttribute(
      'data-status',
      'failed',
    );
    // The pending notice became the outcome: one notice, and never a green one.
    await expect(page.locator('.notice')).toHaveCount(1);
    await expect(page.getByTestId('notice-success')).toHaveCount(0);
    await expect(page.getByTestId('nav-tunnel').locator('.dot')).toHaveClass(/dot-danger/);
    await shoot(page, 'tunnel-failed');
  });

  test('a reachability check that finds the host unreachable is an error, not "checked"', async ({
    page,
  }) => {
    await open(page, 'tunnel');
    await page.getByTestId('tunnel-provider-public-url').click();
    await page.getByTestId('tunnel-public-url').fill(`http://127.0.0.1:${await closedPort()}`);
    await page.getByTestId('tunnel-start').click();
    await expect(page.locator('[data-testid="tunnel-status"] [data-status]')).not.toHaveAttribute(
      'data-status',
      /^(off|failed|connecting)$/,
    );
    await page.getByTestId('tunnel-check').click();
    await expect(page.getByTestId('reachability')).toHaveAttribute('data-ok', 'false');
    await expect(page.getByTestId('notice-error')).toContainText('Not reachable');
    await expect(page.getByTestId('notice-success').filter({ hasText: /reach|check/i })).toHaveCount(0);
    await page.getByTestId('tunnel-stop').click();
    await expect(page.getByTestId('notice-success').filter({ hasText: 'Tunnel stopped' })).toHaveCount(1);
  });

  test('a discovery refresh that fails is reported as failed', async ({ page }) => {
    await open(page, 'discovery');
    await expect(page.getByTestId('discovery-status')).toHaveText('ok');
    discoveryUp = false;
    try {
      await page.getByTestId('discovery-refresh').click();
      await expect(page.getByTestId('discovery-status')).toHaveText('failed');
      await expect(page.getByTestId('notice-error')).toContainText('Discovery refresh failed');
      await expect(page.getByTestId('notice-success')).toHaveCount(0);
    } finally {
      discoveryUp = true;
    }
    await page.getByTestId('discovery-refresh').click();
    await expect(page.getByTestId('notice-success')).toContainText('Discovery refreshed');
  });
});

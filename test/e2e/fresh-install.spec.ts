// A fresh clone after its install step, run the README's way (`wopi-workbench serve`): the inspector
// URL it prints opens the real app in a browser, connected to the run, not a "not built" page.
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawnServeWith, type ServeProcess } from '../helpers/cli-process';
import { freshCheckout, runPrepare, type FreshCheckout } from '../helpers/fresh-checkout';

test.describe('a fresh install', () => {
  let checkout: FreshCheckout | null = null;
  let serve: ServeProcess | null = null;
  let folder = '';

  test.afterAll(async () => {
    if (serve) {
      serve.kill('SIGTERM');
      await serve.exitWithin();
    }
    if (folder) {
      fs.rmSync(folder, { recursive: true, force: true });
      fs.rmSync(`${folder}-data`, { recursive: true, force: true });
    }
    await checkout?.remove();
  });

  test('renders the inspector from the URL serve prints', async ({ page }) => {
    checkout = await freshCheckout();
    test.skip(!checkout, 'not a git checkout: nothing to clone');
    const prepared = await runPrepare(checkout!.dir);
    expect(prepared.code, prepared.output).toBe(0);

    folder = `${checkout!.dir}-docs`;
    await mkdir(folder);
    await writeFile(path.join(folder, 'hello.txt'), 'hello');
    serve = await spawnServeWith(['--folder', folder, '--data-dir', `${folder}-data`], checkout!.bin);

    await page.goto(serve.ready.uiUrl);
    await expect(page.getByText('has not been built')).toHaveCount(0);
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('connection-status')).toHaveAttribute('data-state', 'connected');
    await page.getByTestId('nav-files').click();
    await expect(page.locator('[data-testid="file-row"][data-path="hello.txt"]')).toBeVisible();
  });
});

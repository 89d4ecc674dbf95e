// After `npm install` (or `npm ci`) in a fresh clone, `npx wopi-workbench serve` must serve the
// inspector itself, not a page saying the UI is not built. The clone is simulated from the files git
// would check out, with nothing built; npm's `prepare` step then runs as the install would run it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnServeWith } from '../helpers/cli-process';
import { freshCheckout, runPrepare, type FreshCheckout } from '../helpers/fresh-checkout';

describe('a fresh install', { timeout: 180_000 }, () => {
  let checkout: FreshCheckout | null = null;
  after(async () => {
    await checkout?.remove();
  });

  it('serves the built inspector from `serve` right after the install', async (t) => {
    checkout = await freshCheckout();
    if (!checkout) {
      t.skip('not a git checkout: nothing to clone');
      return;
    }
    const { dir, bin } = checkout;
    assert.equal(fs.existsSync(path.join(dir, 'dist')), false, 'a fresh clone has nothing built');

    const prepared = await runPrepare(dir);
    assert.equal(prepared.code, 0, `npm run prepare failed:\n${prepared.output}`);

    const folder = path.join(dir, '..', `${path.basename(dir)}-docs`);
    await mkdir(folder);
    await writeFile(path.join(folder, 'a.txt'), 'a');
    const s = await spawnServeWith(['--folder', folder, '--data-dir', `${folder}-data`], bin);
    try {
      const page = await fetch(`${s.ready.controlUrl}/`);
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.doesNotMatch(html, /has not been built/, `after the install step: ${prepared.output}`);
      const script = /<script type="module"[^>]* src="\.\/(assets\/[\w.-]+\.js)"/.exec(html)?.[1];
      assert.ok(script, `the page loads the app bundle:\n${html}`);
      const js = await fetch(`${s.ready.controlUrl}/${script}`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type') ?? '', /javascript/);
    } finally {
      s.kill('SIGTERM');
      await s.exitWithin();
      fs.rmSync(folder, { recursive: true, force: true });
      fs.rmSync(`${folder}-data`, { recursive: true, force: true });
    }
  });
});

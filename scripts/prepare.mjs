#!/usr/bin/env node
// npm runs `prepare` after `npm install` and `npm ci` in a checkout. It builds the inspector UI, so
// `npx wopi-workbench serve` serves the app right away instead of a "UI not built" page.
// Never fails the install: without vite (a production install) or when the build breaks, the engine
// and CLI still work, so it says what happened and how to build later, and exits 0.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUi, ROOT, uiBuildState, viteCli } from './ui-build.mjs';

export async function prepare(root = ROOT) {
  const state = uiBuildState(root);
  if (state === 'fresh' || state === 'no-sources') return { built: false, state };
  if (!viteCli(root)) {
    console.log(
      'wopi-workbench: vite is not installed (dev dependencies omitted), so the inspector UI was not built; ' +
        'the CLI serves a page saying so. Run `npm install` with dev dependencies, then `npm run build:ui`.',
    );
    return { built: false, state: 'no-vite' };
  }
  console.log('wopi-workbench: building the inspector UI (dist/renderer)…');
  const code = await buildUi(root);
  if (code !== 0) {
    console.warn(
      `wopi-workbench: the UI build failed (exit ${code}); the engine and CLI still work. ` +
        'Run `npm run build:ui` to see the error and retry.',
    );
    return { built: false, state: 'failed' };
  }
  return { built: true, state };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await prepare();
  } catch (e) {
    // Same promise as above: an unexpected error is reported, the install still succeeds.
    console.warn(`wopi-workbench: preparing the UI failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

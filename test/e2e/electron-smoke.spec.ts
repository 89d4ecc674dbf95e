// Desktop smoke test with Playwright's _electron: the packaged-style app (dist/main/main.cjs) starts
// on a temp folder with a temp userData, the hardened window loads the UI, the preload bridge is the
// named-function object and nothing more, IPC refuses bad input, and quitting stops the engine.
// It runs wherever a runnable Electron binary is installed (node_modules/electron/path.txt and the
// file it names) and reports itself skipped, with the reason, everywhere else.
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const NO_ELECTRON =
  'no runnable Electron binary (node_modules/electron/path.txt is missing or names no executable); ' +
  'on a machine with internet run `npx install-electron` (Electron 45 needs Node >= 22.12), then rerun';

interface StartModule {
  findElectronBinary: (root?: string) => string | null;
  uiBuildState: (root?: string) => 'fresh' | 'missing' | 'stale' | 'no-sources';
}

async function importScript<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(path.join(repoRoot, 'scripts', name)).href)) as T;
}

function runNode(args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    spawn(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' }).on('exit', (code) => resolve(code));
  });
}

/** Page object for the little the smoke test touches. */
class DesktopWindow {
  constructor(readonly page: Page) {}
  ready = () => this.page.locator('[data-testid="app-root"][data-ready="true"]');
}

test.describe('Electron desktop shell', () => {
  let binary: string | null = null;
  let work = '';

  test.beforeAll(async () => {
    const start = await importScript<StartModule>('start.mjs');
    binary = start.findElectronBinary(repoRoot);
    test.skip(binary === null, NO_ELECTRON);
    const ui = start.uiBuildState(repoRoot);
    if (ui === 'missing' || ui === 'stale') {
      const vite = path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
      expect(await runNode([vite, 'build', '--config', 'renderer/vite.config.ts'])).toBe(0);
    }
    expect(await runNode([path.join(repoRoot, 'scripts', 'build-desktop.mjs')])).toBe(0);
  });

  test.beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-electron-'));
    fs.mkdirSync(path.join(work, 'docs'));
    fs.writeFileSync(path.join(work, 'docs', 'Hello.docx'), 'not really a docx');
  });

  test.afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  function launch(extra: string[] = []): Promise<ElectronApplication> {
    const env = { ...process.env };
    delete env['ELECTRON_RUN_AS_NODE'];
    return electron.launch({
      executablePath: binary ?? '',
      cwd: repoRoot,
      env: env as Record<string, string>,
      args: [
        repoRoot,
        '--folder',
        path.join(work, 'docs'),
        '--user-data-dir',
        path.join(work, 'user-data'),
        '--data-dir',
        path.join(work, 'engine-data'),
        ...extra,
      ],
    });
  }

  test('hardened window, named bridge, guarded IPC, clean quit', async () => {
    const app = await launch();
    const win = new DesktopWindow(await app.firstWindow());
    await expect(win.ready()).toBeVisible();

    const bridge = await win.page.evaluate(() => {
      const w = window as unknown as Record<string, unknown> & { workbenchDesktop?: Record<string, unknown> };
      const d = w.workbenchDesktop ?? {};
      return {
        keys: Object.keys(d).sort(),
        types: Object.values(d).map((v) => typeof v),
        frozen: Object.isFrozen(d),
        version: typeof d['appVersion'] === 'function' ? (d['appVersion'] as () => string)() : null,
        // Effects of nodeIntegration off and context isolation: no Node and no preload globals here.
        require: typeof w['require'],
        process: typeof w['process'],
        ipcRenderer: typeof w['ipcRenderer'],
      };
    });
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(bridge.keys).toEqual(['appVersion', 'copyText', 'openExternal', 'pickFolder', 'revealFile']);
    expect(new Set(bridge.types)).toEqual(new Set(['function']));
    expect(bridge.frozen).toBe(true);
    expect(bridge.version).toBe(pkg.version);
    expect(bridge.require).toBe('undefined');
    expect(bridge.process).toBe('undefined');
    expect(bridge.ipcRenderer).toBe('undefined');

    // Refused by the IPC guard before anything reaches the OS.
    const refusals = await win.page.evaluate(async () => {
      const d = (window as unknown as { workbenchDesktop: Record<string, (a: string) => Promise<unknown>> })
        .workbenchDesktop;
      const reason = (p: Promise<unknown>) =>
        p.then(
          () => 'resolved',
          (e: Error) => e.message,
        );
      return {
        external: await reason(d['openExternal']!('file:///etc/passwd')),
        reveal: await reason(d['revealFile']!('../../etc/passwd')),
      };
    });
    expect(refusals.external).toContain('refused');
    expect(refusals.reveal).toContain('outside the served folder');

    // New windows are denied (a file: URL is not even handed to the OS browser).
    expect(await win.page.evaluate(() => window.open('file:///etc/passwd') === null)).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

    // The strict CSP is on every app-origin response.
    const csp = await win.page.evaluate(async () =>
      (await fetch(location.origin + '/')).headers.get('content-security-policy'),
    );
    const origin = await win.page.evaluate(() => location.origin);
    expect(csp).toContain(`connect-src ${origin}`);
    expect(csp).toContain("default-src 'none'");

    await app.close();
    const engineData = path.join(work, 'engine-data');
    expect(fs.readdirSync(engineData).filter((f) => /-(wal|shm)$/.test(f))).toEqual([]);
    const state = JSON.parse(fs.readFileSync(path.join(work, 'user-data', 'window-state.json'), 'utf8')) as {
      width: number;
    };
    expect(state.width).toBeGreaterThan(0);
    const recent = JSON.parse(
      fs.readFileSync(path.join(work, 'user-data', 'recent-folders.json'), 'utf8'),
    ) as {
      folders: string[];
    };
    expect(recent.folders[0]).toBe(path.join(work, 'docs'));
  });

  test('a second instance hands over to the first and exits', async () => {
    const app = await launch();
    await expect(new DesktopWindow(await app.firstWindow()).ready()).toBeVisible();
    const second = spawn(binary ?? '', [repoRoot, '--user-data-dir', path.join(work, 'user-data')], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    const code = await new Promise<number | null>((resolve) => second.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    await app.close();
  });
});

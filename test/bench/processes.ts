// The processes a bench run starts: the workbench through its CLI (serve, token) and the baselines,
// each killed when the run ends, however it ends.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cliPath, repoRoot } from './common';

export const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Spawn a node process that prints one JSON line with `key`; resolve with that line. */
export async function spawnReady(
  args: string[],
  key: string,
): Promise<{ child: ChildProcess; ready: Record<string, string> }> {
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 60 s\n${err}`)), 60_000);
    lines.on('line', (line) => {
      try {
        const v = JSON.parse(line) as Record<string, string>;
        if (v[key]) {
          clearTimeout(timer);
          resolve(v);
        }
      } catch {
        /* not JSON */
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`process exited before ready\n${err}`));
    });
  });
  return { child, ready };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startEngine(folder: string, dataDir: string) {
  // --proof off: the load generator does not sign requests; --quiet: no per-request console line.
  const { child, ready } = await spawnReady(
    [cliPath, 'serve', '--folder', folder, '--data-dir', dataDir, '--json', '--quiet', '--proof', 'off'],
    'wopiUrl',
  );
  return {
    child,
    url: ready['wopiUrl']!,
    control: { url: ready['controlUrl']!, token: ready['controlToken']! },
  };
}

export function tokenFor(
  engineUrl: string,
  dataDir: string,
  rel: string,
): Promise<{ src: string; token: string }> {
  const env = { ...process.env };
  delete env['NODE_TEST_CONTEXT'];
  const args = [cliPath, 'token', '--data-dir', dataDir, '--file', rel, '--json'];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: repoRoot, env, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`token ${rel}: ${stderr}`));
      const g = JSON.parse(stdout.trim()) as { wopiSrc: string; accessToken: string };
      resolve({ src: `${engineUrl}/wopi/files/${g.wopiSrc.split('/').pop()!}`, token: g.accessToken });
    });
  });
}

/** `serve --upstream <upstream>` in front of a workbench: the inspecting proxy, as a person runs it. */
export async function startProxy(upstream: string, folder: string, dataDir: string) {
  const { child, ready } = await spawnReady(
    [
      cliPath,
      'serve',
      '--folder',
      folder,
      '--data-dir',
      dataDir,
      '--json',
      '--quiet',
      '--proof',
      'off',
      '--upstream',
      upstream,
    ],
    'wopiUrl',
  );
  return { child, url: ready['wopiUrl']! };
}

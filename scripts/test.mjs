#!/usr/bin/env node
// `npm test`: unit + integration (node:test) then browser e2e (Playwright, Debian's Chromium),
// with one closing summary line. TEST_ONLY=node|e2e runs one part; TEST_DIRS=a,b picks test folders.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const only = process.env.TEST_ONLY;
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

function run(cmd, args, parse) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    let tail = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      tail = (tail + d.toString()).slice(-20000);
    });
    child.on('close', (code) => {
      parse(tail);
      if (code !== 0) exitCode = code ?? 1;
      resolve(code);
    });
  });
}

const num = (re, s) => Number(re.exec(s)?.[1] ?? 0);

// Node 20's --test does not expand globs, so the files are listed here.
function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(dir, f))
    .sort();
}

if (only !== 'e2e') {
  const dirs = (process.env.TEST_DIRS ?? 'test/unit,test/integration').split(',');
  const files = dirs.flatMap(testFiles);
  if (files.length === 0) {
    console.error(`no test files under ${dirs.join(', ')}`);
    exitCode = 1;
  } else {
    await run(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=180000', ...files],
      (out) => {
        totals.passed += num(/^# pass (\d+)/m, out);
        totals.failed += num(/^# fail (\d+)/m, out) + num(/^# cancelled (\d+)/m, out);
        totals.skipped += num(/^# skipped (\d+)/m, out);
      },
    );
  }
}

if (only !== 'node') {
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
    console.log(
      'e2e: skipped — no Chromium at /usr/bin/chromium (apt-get install -y chromium, or set CHROMIUM_PATH)',
    );
  } else {
    await run(
      'npx',
      ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'],
      () => {},
    );
    await run(
      'npx',
      ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts', '--reporter=list'],
      (out) => {
        totals.passed += num(/(\d+) passed/, out);
        totals.failed += num(/(\d+) failed/, out) + num(/(\d+) flaky/, out);
        totals.skipped += num(/(\d+) skipped/, out);
      },
    );
  }
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode || (totals.failed > 0 ? 1 : 0));

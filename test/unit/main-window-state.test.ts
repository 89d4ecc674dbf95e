import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_WINDOW_STATE,
  MIN_WINDOW_SIZE,
  captureWindowState,
  fitToDisplays,
  loadWindowState,
  saveWindowState,
  validateWindowState,
} from '../../main/window-state';
import type { Rect } from '../../main/window-state';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-winstate-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 900 };
const rightMonitor: Rect = { x: 1440, y: 0, width: 2560, height: 1440 };

void test('saved state round-trips through the file', (t) => {
  const file = path.join(tempDir(t), 'window-state.json');
  const state = { x: 10, y: 20, width: 1000, height: 700, maximized: true, fullScreen: false };
  saveWindowState(file, state);
  assert.deepEqual(loadWindowState(file), { kind: 'ok', value: state });
  assert.equal(fs.readdirSync(path.dirname(file)).length, 1, 'no temp file left behind');
});

void test('a missing file is "missing", not an error', (t) => {
  assert.deepEqual(loadWindowState(path.join(tempDir(t), 'nope.json')), { kind: 'missing' });
});

void test('a corrupt file is moved aside with its content intact and never overwritten', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'window-state.json');
  fs.writeFileSync(file, '{"version":1,"width":');
  const result = loadWindowState(file, () => 1700000000000);
  assert.equal(result.kind, 'corrupt');
  assert.ok(result.kind === 'corrupt' && result.keptAt);
  assert.equal(result.keptAt, `${file}.corrupt-1700000000000`);
  assert.equal(fs.readFileSync(result.keptAt, 'utf8'), '{"version":1,"width":');
  assert.equal(fs.existsSync(file), false);
  // The next save writes a fresh file next to the kept copy.
  saveWindowState(file, DEFAULT_WINDOW_STATE);
  assert.equal(fs.readFileSync(result.keptAt, 'utf8'), '{"version":1,"width":');
  assert.equal(loadWindowState(file).kind, 'ok');
});

void test('valid JSON with wrong shapes is corrupt too', (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'window-state.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ version: 1, width: '800', height: 600, maximized: false, fullScreen: false }),
  );
  const result = loadWindowState(file, () => 1);
  assert.equal(result.kind, 'corrupt');
  assert.ok(fs.existsSync(`${file}.corrupt-1`));
});

void test('validator rejects each kind of bad field', () => {
  const good = { version: 1, width: 800, height: 600, maximized: false, fullScreen: false };
  assert.equal(validateWindowState(good).ok, true);
  assert.equal(validateWindowState({ ...good, version: 2 }).ok, false);
  assert.equal(validateWindowState({ ...good, width: 0 }).ok, false);
  assert.equal(validateWindowState({ ...good, height: 1.5 }).ok, false);
  assert.equal(validateWindowState({ ...good, width: Number.NaN }).ok, false);
  assert.equal(validateWindowState({ ...good, maximized: 'yes' }).ok, false);
  assert.equal(validateWindowState({ ...good, x: 5 }).ok, false, 'x without y');
  assert.equal(validateWindowState({ ...good, x: 5, y: 1e9 }).ok, false);
  assert.equal(validateWindowState([good]).ok, false);
  assert.equal(validateWindowState(null).ok, false);
});

void test('a window on a display that is still there keeps its position', () => {
  const state = { x: 2000, y: 100, width: 1200, height: 800, maximized: false, fullScreen: false };
  assert.deepEqual(fitToDisplays(state, [laptop, rightMonitor]), state);
});

void test('a window saved on an unplugged monitor loses its position (the OS centres it)', () => {
  const state = { x: 2000, y: 100, width: 1200, height: 800, maximized: false, fullScreen: false };
  const fitted = fitToDisplays(state, [laptop]);
  assert.equal(fitted.x, undefined);
  assert.equal(fitted.y, undefined);
  assert.equal(fitted.width, 1200);
});

void test('a title bar pushed above the top edge is unreachable, so the position is dropped', () => {
  const state = { x: 100, y: -500, width: 1000, height: 700, maximized: false, fullScreen: false };
  assert.equal(fitToDisplays(state, [laptop]).x, undefined);
});

void test('size is clamped to the largest display and to the minimum size', () => {
  const huge = { width: 5000, height: 4000, maximized: false, fullScreen: false };
  assert.deepEqual(fitToDisplays(huge, [laptop, rightMonitor]), { ...huge, width: 2560, height: 1440 });
  const tiny = { width: 10, height: 10, maximized: true, fullScreen: false };
  const fitted = fitToDisplays(tiny, [laptop]);
  assert.equal(fitted.width, MIN_WINDOW_SIZE.width);
  assert.equal(fitted.height, MIN_WINDOW_SIZE.height);
  assert.equal(fitted.maximized, true);
});

void test('capture rounds fractional bounds (HiDPI scaling) so the validator accepts them later', () => {
  const state = captureWindowState({ x: 10.4, y: 20.6, width: 999.5, height: 700.2 }, false, true);
  assert.deepEqual(state, { x: 10, y: 21, width: 1000, height: 700, maximized: false, fullScreen: true });
  assert.equal(validateWindowState({ version: 1, ...state }).ok, true);
});

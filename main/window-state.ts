// Window size/position restore. The saved file is validated field by field, and the bounds are
// checked against today's displays: a window saved on an unplugged monitor must not open off-screen.
import { isRecord, readJsonFile, writeJsonFileAtomic } from './json-file';
import type { JsonReadResult, JsonValidator } from './json-file';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
  fullScreen: boolean;
}

export const WINDOW_STATE_VERSION = 1;
export const DEFAULT_WINDOW_STATE: WindowState = {
  width: 1280,
  height: 820,
  maximized: false,
  fullScreen: false,
};
export const MIN_WINDOW_SIZE = { width: 720, height: 480 } as const;
const MAX_COORD = 100_000;
/** How much of the title bar must be on some display for a saved position to be kept. */
const MIN_VISIBLE = { width: 120, height: 40 } as const;

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

export const validateWindowState: JsonValidator<WindowState> = (data) => {
  if (!isRecord(data)) return { ok: false, reason: 'not an object' };
  if (data['version'] !== WINDOW_STATE_VERSION)
    return { ok: false, reason: `unknown version ${String(data['version'])}` };
  const { x, y, width, height, maximized, fullScreen } = data;
  if (!isInt(width, 1, MAX_COORD) || !isInt(height, 1, MAX_COORD))
    return { ok: false, reason: 'bad width/height' };
  if (typeof maximized !== 'boolean' || typeof fullScreen !== 'boolean')
    return { ok: false, reason: 'bad flags' };
  const hasX = x !== undefined;
  const hasY = y !== undefined;
  if (hasX !== hasY) return { ok: false, reason: 'x and y must come together' };
  const state: WindowState = { width, height, maximized, fullScreen };
  if (hasX && hasY) {
    if (!isInt(x, -MAX_COORD, MAX_COORD) || !isInt(y, -MAX_COORD, MAX_COORD))
      return { ok: false, reason: 'bad x/y' };
    state.x = x;
    state.y = y;
  }
  return { ok: true, value: state };
};

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * Makes a saved state usable on the current displays (their work areas): size clamped to the
 * largest display and to the minimum size, position dropped when the title bar would be unreachable.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const largest = workAreas.reduce<Rect | undefined>(
    (best, r) => (best === undefined || r.width * r.height > best.width * best.height ? r : best),
    undefined,
  );
  const maxW = largest?.width ?? state.width;
  const maxH = largest?.height ?? state.height;
  const width = Math.max(MIN_WINDOW_SIZE.width, Math.min(state.width, maxW));
  const height = Math.max(MIN_WINDOW_SIZE.height, Math.min(state.height, maxH));
  const fitted: WindowState = { width, height, maximized: state.maximized, fullScreen: state.fullScreen };
  if (state.x === undefined || state.y === undefined) return fitted;
  const titleBar: Rect = { x: state.x, y: state.y, width, height: MIN_VISIBLE.height };
  const reachable = workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= Math.min(MIN_VISIBLE.width, width) && o.height >= MIN_VISIBLE.height;
  });
  if (reachable) {
    fitted.x = state.x;
    fitted.y = state.y;
  }
  return fitted;
}

export function loadWindowState(file: string, now?: () => number): JsonReadResult<WindowState> {
  return readJsonFile(file, validateWindowState, now);
}

export function saveWindowState(file: string, state: WindowState): void {
  writeJsonFileAtomic(file, { version: WINDOW_STATE_VERSION, ...state });
}

/** What to persist from a window's current facts (normal bounds survive maximise/full screen). */
export function captureWindowState(normalBounds: Rect, maximized: boolean, fullScreen: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
    fullScreen,
  };
}

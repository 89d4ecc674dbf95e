// The control app over the real rooms, for tests that build an engine themselves: wires the rooms as
// the app does, and installs control apps with the options a test needs (SSE heartbeat, message ring).
import { createApiModel } from '../../server/api';
import type { ApiModel, ApiModelOptions } from '../../server/api';
import { createControlApp } from '../../server/control';
import type { ControlApp, ControlAppOptions } from '../../server/control';
import type { Engine } from '../../server/engine';
import { wireRooms } from '../../server/wiring';
import type { Rooms } from '../../server/wiring';

export interface ControlAppBench {
  rooms: Rooms;
  /** The API model the installed app serves. */
  api: ApiModel;
  app: ControlApp;
  /** Builds a fresh model and app with these options, installs it as the control listener's handler. */
  install(opts?: ControlAppOptions, modelOpts?: ApiModelOptions): ControlApp;
}

/** Call before start(), like the wiring. */
export async function wireControlApp(wb: Engine): Promise<ControlAppBench> {
  const rooms = await wireRooms(wb);
  const build = (opts: ControlAppOptions, modelOpts: ApiModelOptions) => {
    const api = createApiModel({ engine: wb, rooms }, modelOpts);
    return { api, app: createControlApp(api, wb, opts) };
  };
  const bench: ControlAppBench = {
    rooms,
    ...build({}, {}),
    install(opts = {}, modelOpts = {}) {
      Object.assign(bench, build(opts, modelOpts));
      wb.hooks.controlHandler = bench.app;
      return bench.app;
    },
  };
  wb.hooks.controlHandler = bench.app;
  return bench;
}

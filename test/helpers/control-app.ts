// A second control app over a running workbench's model and rooms, with the options a test needs
// (SSE heartbeat, queue bound, message ring), served on its own loopback port next to the real one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiModel } from '../../server/api';
import type { ApiModel, ApiModelOptions } from '../../server/api';
import { createControlApp } from '../../server/control';
import type { ControlApp, ControlAppOptions } from '../../server/control';
import type { Workbench } from '../../server/workbench';

export interface ExtraControlApp {
  api: ApiModel;
  app: ControlApp;
  /** e.g. http://127.0.0.1:PORT (same control token as the workbench's own listener). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function serveControlApp(
  wb: Workbench,
  opts: ControlAppOptions = {},
  modelOpts: ApiModelOptions = {},
): Promise<ExtraControlApp> {
  const api = createApiModel({ engine: wb, rooms: wb.rooms }, modelOpts);
  const app = createControlApp(api, wb, opts);
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    api,
    app,
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        app.closeStreams();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

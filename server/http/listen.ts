import type http from 'node:http';
import type { AddressInfo } from 'node:net';

export class ListenError extends Error {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

/** Bind a server; EADDRINUSE and friends become a sentence naming the setting. */
export function listen(server: http.Server, host: string, port: number, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      const why =
        e.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use; pick another ${setting} (0 picks a free one)`
          : e.code === 'EACCES'
            ? `not allowed to listen on ${host}:${port}; use a port above 1023 for ${setting}`
            : e.code === 'EADDRNOTAVAIL'
              ? `${host} is not an address of this machine; fix --host`
              : e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
                ? `the host name ${host} does not resolve; fix --host (e.g. 127.0.0.1)`
                : `cannot listen on ${host}:${port} (${e.code ?? e.message})`;
      reject(new ListenError(setting, why));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export function closeServer(server: http.Server, graceMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
    // Open requests (e.g. a PutFile streaming) get a grace period to finish, then are cut.
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}

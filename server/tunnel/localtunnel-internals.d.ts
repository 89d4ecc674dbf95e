// Types for the one internal of the pinned localtunnel 2.0.2 client we build on: the Tunnel class.
// We replace its handshake (which retries forever and cannot be cancelled) and keep its socket pool.
declare module 'localtunnel/lib/Tunnel.js' {
  import { EventEmitter } from 'node:events';

  namespace Tunnel {
    interface Options {
      port: number;
      host: string;
      subdomain?: string;
    }
    /** What `_getInfo` builds from the server's JSON and TunnelCluster consumes. */
    interface Info {
      name: string;
      url: string;
      max_conn: number;
      remote_host: string | null;
      remote_port: number;
      local_port: number;
    }
    /** The handshake body: `{ id, port, max_conn_count, url, ip? }`. */
    interface HandshakeBody {
      id: string;
      port: number;
      url: string;
      max_conn_count?: number;
      ip?: string;
    }
  }

  class Tunnel extends EventEmitter {
    constructor(opts: Tunnel.Options);
    url: string;
    clientId: string;
    closed: boolean;
    /** Created by open(); emits 'open' (remote socket), 'dead', 'error', 'request'. */
    tunnelCluster?: EventEmitter;
    open(cb: (err?: Error) => void): void;
    close(): void;
    _getInfo(body: Tunnel.HandshakeBody): Tunnel.Info;
    _init(cb: (err: Error | null, info?: Tunnel.Info) => void): void;
  }

  export = Tunnel;
}

// For people who already run a reverse proxy (or their own tunnel) in front of the WOPI listener:
// nothing to open, only a URL to check and report. Reachability is proven by the manager's check.
import { normalizePublicUrl, type TunnelProvider } from './provider';

export function createPublicUrlProvider(): TunnelProvider {
  return {
    open(_localPort, opts) {
      // A TunnelError thrown by the check inside the executor rejects the promise.
      return new Promise((resolve) => {
        const url = normalizePublicUrl(opts.publicUrl ?? '');
        resolve({ url, close() {}, onClose() {}, onError() {} });
      });
    },
  };
}

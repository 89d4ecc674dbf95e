// Engine-level routes: status, personas, settings and minting WOPI access tokens.
import type { Permission, SettingsView } from '../contracts/api';
import { ControlError } from './errors';
import { readJsonBody } from './http-io';
import type { ControlDeps, RouteTable } from './router';
import { objectBody, optionalEnum, optionalNumber, optionalString, requiredString } from './validate';

type EngineRoutes = Pick<RouteTable, 'status' | 'personas' | 'settings' | 'mintToken'>;

/** Tokens live at most this long when minted from the control API. */
const MAX_TTL_MINUTES = 30 * 24 * 60;
const PERMISSIONS: readonly Permission[] = ['view', 'edit'];

export function engineRoutes({ engine }: ControlDeps): EngineRoutes {
  const o = engine.options;
  return {
    status: async () => ({ body: engine.status() }),
    personas: async () => ({ body: o.personas }),
    settings: async () => {
      const body: SettingsView = {
        folder: o.folder,
        dataDir: o.dataDir,
        host: o.host,
        wopiPort: o.wopiPort,
        controlPort: o.controlPort,
        publicUrl: o.publicUrl ?? null,
        clientProfile: o.clientProfile,
        // A discovery URL may carry a signed query: the handler redacts it like every answer.
        discoveryUrl: o.discoveryUrl ?? null,
        proofMode: o.proofMode ?? null,
        tunnel: o.tunnel ? { server: o.tunnel.server ?? null, subdomain: o.tunnel.subdomain ?? null } : null,
        uiDir: o.uiDir ?? null,
        tokenTtlMinutes: o.tokenTtlMinutes,
        launchLinkTtlMinutes: o.launchLinkTtlMinutes,
        maxUploadBytes: o.maxUploadBytes,
        versionRetention: o.versionRetention,
        requestLogRetention: o.requestLogRetention,
        logBodyInlineBytes: o.logBodyInlineBytes,
        lockDurationMs: o.lockDurationMs,
        watch: o.watch,
      };
      return { body };
    },
    mintToken: async ({ req }) => {
      const b = objectBody(await readJsonBody(req), '{"fileId":"...","personaId":"editor"}');
      const fileId = requiredString(b, 'fileId', 256);
      // A persona id or name; any other name mints for an ad-hoc user, as the CLI's --user does.
      const personaId = optionalString(b, 'personaId', 128);
      const permissions = optionalEnum(b, 'permissions', PERMISSIONS);
      const ttlMinutes = optionalNumber(b, 'ttlMinutes', 1 / 60, MAX_TTL_MINUTES);
      if (!(await engine.index.resolve(fileId)))
        throw new ControlError('not-found', `no file with id ${fileId}`);
      // Handing out the token is the point of this route.
      return {
        body: engine.mintToken(fileId, personaId || undefined, permissions, ttlMinutes),
        reveal: true,
      };
    },
  };
}

// `--user` on token and open: a persona of the serve run, unless --ad-hoc says a stranger is meant.
// A typo must not quietly mint a token for a user nobody configured.
import { findPersona } from '../auth/users';
import type { Persona } from '../contracts/api';
import { UsageError } from './args';

export function checkUser(personas: readonly Persona[], user: string | undefined, adHoc: boolean): void {
  if (user === undefined || adHoc || findPersona(personas, user)) return;
  const known = personas.map((p) => `${p.id} (${p.name}, ${p.permissions})`).join(', ');
  throw new UsageError(
    `--user "${user}" is not a persona of that serve run (${known}); name one of them, define others ` +
      'with serve --personas FILE.json, or add --ad-hoc to mint for a user outside the personas',
  );
}

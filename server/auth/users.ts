// Turning a persona id or an ad-hoc user name into token claims.
import type { Permission, Persona } from '../contracts/api';

export interface UserGrant {
  userId: string;
  userName: string;
  permissions: Permission;
}

/** The persona `user` names, by id or (case-insensitively) by name. */
export function findPersona(personas: readonly Persona[], user: string): Persona | undefined {
  const wanted = user.trim();
  return personas.find((p) => p.id === wanted || p.name.toLowerCase() === wanted.toLowerCase());
}

/** `user` may be a persona id, a persona name, or any other name (an ad-hoc user). */
export function resolveUser(
  personas: Persona[],
  user: string | undefined,
  permissions: Permission | undefined,
): UserGrant {
  const wanted = user?.trim();
  const persona = wanted
    ? findPersona(personas, wanted)
    : (personas.find((p) => p.permissions === 'edit') ?? personas[0]!);
  if (persona)
    return { userId: persona.id, userName: persona.name, permissions: permissions ?? persona.permissions };
  const userId =
    wanted!
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'user';
  return { userId, userName: wanted!, permissions: permissions ?? 'edit' };
}

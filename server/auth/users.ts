// Turning a persona id or an ad-hoc user name into token claims.
import type { Permission, Persona } from '../contracts/api';

export interface UserGrant {
  userId: string;
  userName: string;
  permissions: Permission;
}

/** `user` may be a persona id, a persona name, or any other name (an ad-hoc user). */
export function resolveUser(
  personas: Persona[],
  user: string | undefined,
  permissions: Permission | undefined,
): UserGrant {
  const wanted = user?.trim();
  const persona = wanted
    ? personas.find((p) => p.id === wanted || p.name.toLowerCase() === wanted.toLowerCase())
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

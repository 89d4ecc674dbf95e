// Small key/value settings (secrets, runtime facts) and per-user PutUserInfo strings.
import type { Db } from './db';

export function createKv(db: Db) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?');
  const set = db.prepare(
    'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  );
  const infos = new Map<string, string | null>();
  const getInfo = db.prepare<[string], { info: string }>('SELECT info FROM user_info WHERE user_id = ?');
  const setInfo = db.prepare(
    'INSERT INTO user_info (user_id, info, updated_at) VALUES (?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET info = excluded.info, updated_at = excluded.updated_at',
  );
  return {
    get: (key: string): string | undefined => get.get(key)?.value,
    set: (key: string, value: string): void => {
      set.run(key, value);
    },
    /** Get or create atomically, so two processes sharing a data dir agree on one value. */
    getOrCreate(key: string, make: () => string): string {
      return db
        .transaction(() => {
          const existing = get.get(key)?.value;
          if (existing !== undefined) return existing;
          const v = make();
          set.run(key, v);
          return v;
        })
        .immediate();
    },
    // Read by every CheckFileInfo, written only by PutUserInfo through this same object.
    userInfo: (userId: string): string | undefined => {
      if (infos.has(userId)) return infos.get(userId) ?? undefined;
      const info = getInfo.get(userId)?.info;
      if (infos.size >= 1000) infos.clear();
      infos.set(userId, info ?? null);
      return info;
    },
    setUserInfo: (userId: string, info: string, now: number): void => {
      setInfo.run(userId, info, now);
      infos.set(userId, info);
    },
  };
}

export type Kv = ReturnType<typeof createKv>;

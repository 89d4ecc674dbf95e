// Content-addressed blob store in the data dir for version history. Blobs are immutable: a
// hard link is used when the source is being replaced anyway (zero copy), a copy otherwise.
import fs from 'node:fs/promises';
import path from 'node:path';

export function createBlobStore(dir: string) {
  const pathOf = (sha256: string): string => path.join(dir, sha256.slice(0, 2), sha256);

  return {
    pathOf,
    async has(sha256: string): Promise<boolean> {
      try {
        await fs.access(pathOf(sha256));
        return true;
      } catch {
        return false;
      }
    },
    /**
     * Keep the bytes of `abs` (whose hash is `sha256`). `replacing` means the caller is about to
     * rename another file over `abs`, so linking the inode is safe: nothing will write into it.
     */
    async keep(abs: string, sha256: string, replacing: boolean): Promise<string> {
      const dest = pathOf(sha256);
      await fs.mkdir(path.dirname(dest), { recursive: true });
      try {
        await fs.access(dest);
        return sha256;
      } catch {
        /* not there yet */
      }
      const tmp = `${dest}.${process.pid}.${Date.now()}.part`;
      if (replacing) {
        try {
          await fs.link(abs, tmp);
          await fs.rename(tmp, dest);
          return sha256;
        } catch {
          await fs.rm(tmp, { force: true });
        }
      }
      await fs.copyFile(abs, tmp);
      const fh = await fs.open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, dest);
      return sha256;
    },
    /** Remove half-written blobs a crash left behind (complete blobs are renamed into place). */
    async sweepPartials(): Promise<void> {
      let subdirs: string[];
      try {
        subdirs = await fs.readdir(dir);
      } catch {
        return;
      }
      for (const sub of subdirs) {
        let names: string[];
        try {
          names = await fs.readdir(path.join(dir, sub));
        } catch {
          continue;
        }
        for (const n of names) if (n.endsWith('.part')) await fs.rm(path.join(dir, sub, n), { force: true });
      }
    },
    async remove(sha256: string): Promise<void> {
      await fs.rm(pathOf(sha256), { force: true });
    },
  };
}

export type BlobStore = ReturnType<typeof createBlobStore>;

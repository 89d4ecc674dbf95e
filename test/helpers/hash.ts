// SHA-256 in the two spellings the tests compare against: hex (version rows, blob names, files on disk)
// and base64 (CheckFileInfo SHA256).
import { createHash } from 'node:crypto';

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
export const sha256b64 = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('base64');

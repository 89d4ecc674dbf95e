// .NET CSP public-key blobs (RSACryptoServiceProvider.ExportCspBlob), the `value`/`oldvalue`
// attributes of discovery's <proof-key>. Layout (PROTOCOL.md §8.4): 0x06 PUBLICKEYBLOB, 0x02,
// 2 reserved bytes, u32 LE algorithm id, "RSA1", u32 LE bit length, u32 LE public exponent,
// then the modulus little-endian.

const PUBLICKEYBLOB = 0x06;
const CUR_BLOB_VERSION = 0x02;
const CALG_RSA_KEYX = 0x0000a400;
const CALG_RSA_SIGN = 0x00002400;
const MAGIC_RSA1 = 0x31415352;
const HEADER_BYTES = 20;

export interface RsaPublicNumbers {
  /** Big-endian, without leading zero bytes. */
  modulus: Buffer;
  /** Big-endian, without leading zero bytes. */
  exponent: Buffer;
}

export class CspBlobError extends Error {
  override readonly name = 'CspBlobError';
}

export function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return bytes.subarray(i);
}

export function parseCspPublicKeyBlob(blob: Buffer): RsaPublicNumbers {
  if (blob.length < HEADER_BYTES)
    throw new CspBlobError(`blob is ${blob.length} bytes, shorter than its header`);
  if (blob[0] !== PUBLICKEYBLOB)
    throw new CspBlobError(`blob type is 0x${hex(blob[0])}, expected 0x06 (PUBLICKEYBLOB)`);
  if (blob[1] !== CUR_BLOB_VERSION) throw new CspBlobError(`blob version is ${blob[1]}, expected 2`);
  const alg = blob.readUInt32LE(4);
  if (alg !== CALG_RSA_KEYX && alg !== CALG_RSA_SIGN) {
    throw new CspBlobError(`algorithm id is 0x${alg.toString(16)}, expected an RSA key`);
  }
  if (blob.readUInt32LE(8) !== MAGIC_RSA1)
    throw new CspBlobError('magic is not "RSA1" (not an RSA public key)');
  const bitLength = blob.readUInt32LE(12);
  const modulusBytes = Math.ceil(bitLength / 8);
  if (bitLength === 0 || blob.length !== HEADER_BYTES + modulusBytes) {
    throw new CspBlobError(
      `bit length ${bitLength} needs ${HEADER_BYTES + modulusBytes} bytes, blob has ${blob.length}`,
    );
  }
  const exponent = Buffer.alloc(4);
  exponent.writeUInt32BE(blob.readUInt32LE(16));
  const modulus = Buffer.from(blob.subarray(HEADER_BYTES)).reverse();
  return { modulus: stripLeadingZeros(modulus), exponent: stripLeadingZeros(exponent) };
}

/** The inverse, so the simulator can publish a discovery file that .NET hosts can read too. */
export function buildCspPublicKeyBlob(numbers: RsaPublicNumbers): Buffer {
  const modulus = stripLeadingZeros(numbers.modulus);
  const exponent = stripLeadingZeros(numbers.exponent);
  if (exponent.length > 4) throw new CspBlobError('CSP blobs hold a public exponent of at most 32 bits');
  const out = Buffer.alloc(HEADER_BYTES + modulus.length);
  out[0] = PUBLICKEYBLOB;
  out[1] = CUR_BLOB_VERSION;
  out.writeUInt32LE(CALG_RSA_KEYX, 4);
  out.writeUInt32LE(MAGIC_RSA1, 8);
  out.writeUInt32LE(modulus.length * 8, 12);
  out.writeUInt32LE(exponent.readUIntBE(0, exponent.length), 16);
  Buffer.from(modulus).reverse().copy(out, HEADER_BYTES);
  return out;
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

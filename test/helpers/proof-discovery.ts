// A discovery document for a WOPI client of a test's own: Office's fixture with the proof key pair
// swapped for the test's, so the test can sign requests the host verifies.
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { proofKeyAttributesFor } from '../../server/proof/keys';

export function discoveryXmlWithKeys(current: KeyObject, old: KeyObject): string {
  const cur = proofKeyAttributesFor(current);
  const prev = proofKeyAttributesFor(old);
  const proofKey =
    `<proof-key value="${cur.value}" modulus="${cur.modulus}" exponent="${cur.exponent}" ` +
    `oldvalue="${prev.value}" oldmodulus="${prev.modulus}" oldexponent="${prev.exponent}" />`;
  const template = readFileSync(new URL('../fixtures/discovery/office.xml', import.meta.url), 'utf8');
  return template.replace(/<proof-key[^>]*\/>/, proofKey);
}

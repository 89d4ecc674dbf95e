// Proof keys (PROTOCOL §8, PITFALLS #2–#6): with --sign every request carries X-WOPI-Proof,
// -ProofOld and -TimeStamp made with the simulated client's keys, and a host that trusts that
// client's discovery must accept exactly three key/proof pairings and answer 500 to everything else.
// The validator's mutations are reproduced as it makes them: a "garbage" proof is Base64 of INVALID.
import { wopiUrl } from '../client';
import type { ProofSigner, ProofVariant, WopiResponse } from '../client';
import { expectStatus } from '../expect';
import { CaseFailure, CaseSkip } from '../types';
import type { CaseContext, CheckCase, CheckGroup } from '../types';
import { LOCK, readContent } from './relative-files';

const PROOF = 'X-WOPI-Proof';
const PROOF_OLD = 'X-WOPI-ProofOld';
const GARBAGE = Buffer.from('INVALID').toString('base64');
const MINUTE = 60_000;

interface Signed {
  /** '' (CheckFileInfo, Lock) or '/contents' (GetFile). */
  suffix?: '' | '/contents';
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  variant?: ProofVariant;
  /** Header values to put in place of what the signer made (undefined drops the header). */
  replace?: Partial<
    Record<typeof PROOF | typeof PROOF_OLD, string | ((signed: Headers) => string | undefined)>
  >;
  /** Sign this URL instead of the one sent. */
  signUrl?: (sent: string) => string;
  /** Sign with this token instead of the one sent. */
  signToken?: string;
}

type Headers = Record<string, string>;

function signerOf(ctx: CaseContext, needsOldKey = false): ProofSigner {
  const signer = ctx.signer;
  if (!signer) throw new CaseSkip('no proof signer: run with --sign');
  if (needsOldKey && !signer.hasOldKey)
    throw new CaseSkip(
      "the simulated client's discovery has no old proof key (rotate the key to run this case)",
    );
  return signer;
}

function headerOf(h: Headers, name: string): string | undefined {
  const key = Object.keys(h).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : h[key];
}

function setHeader(h: Headers, name: string, value: string | undefined): void {
  for (const k of Object.keys(h)) if (k.toLowerCase() === name.toLowerCase()) delete h[k];
  if (value !== undefined) h[name] = value;
}

/** One request on the target with proof headers built (and then tampered with) here. */
async function sendSigned(ctx: CaseContext, signer: ProofSigner, o: Signed = {}): Promise<WopiResponse> {
  const token = ctx.target.accessToken;
  const url = new URL(wopiUrl(ctx.target, o.suffix ?? ''));
  const sent = `${url.origin}${url.pathname}${url.search}`;
  const signed = signer.headers(o.signUrl ? o.signUrl(sent) : sent, o.signToken ?? token, o.variant);
  const proof: Headers = { ...signed };
  for (const name of [PROOF, PROOF_OLD] as const) {
    const how = o.replace?.[name];
    if (how === undefined && !(o.replace && name in o.replace)) continue;
    setHeader(proof, name, typeof how === 'function' ? how(signed) : how);
  }
  return ctx.client.send({
    method: o.method ?? 'GET',
    url: sent,
    headers: { Authorization: `Bearer ${token}`, ...(o.headers ?? {}), ...proof },
    token,
    proof: false,
  });
}

const accept = (res: WopiResponse): void => expectStatus(res, 200, 'a valid proof: the host must accept');
const reject = (res: WopiResponse): void =>
  expectStatus(res, 500, 'a proof that does not verify: the host must answer 500');

const checkFileInfo =
  (o: Signed & { needsOldKey?: boolean; verdict: 'accept' | 'reject' }) =>
  async (ctx: CaseContext): Promise<void> => {
    const res = await sendSigned(ctx, signerOf(ctx, o.needsOldKey === true), o);
    (o.verdict === 'accept' ? accept : reject)(res);
  };

const validatorCases: CheckCase[] = [
  {
    name: 'ProofKeyCurrentValid',
    title: 'proofs as the client makes them (current key, old key when there is one) → 200',
    origin: 'validator',
    run: checkFileInfo({ verdict: 'accept' }),
  },
  {
    name: 'ProofKeyCurrentOldGarbage',
    title: 'X-WOPI-Proof and X-WOPI-ProofOld both garbage → 500',
    origin: 'validator',
    run: checkFileInfo({ verdict: 'reject', replace: { [PROOF]: GARBAGE, [PROOF_OLD]: GARBAGE } }),
  },
  {
    name: 'ProofKeyCurrentValidOldGarbage',
    title: 'X-WOPI-Proof valid with the current key, X-WOPI-ProofOld garbage → 200',
    origin: 'validator',
    run: checkFileInfo({ verdict: 'accept', replace: { [PROOF_OLD]: GARBAGE } }),
  },
  {
    name: 'ProofKeyWacAheadOfHost',
    title:
      'X-WOPI-Proof garbage, X-WOPI-ProofOld signed with the current key (client rotated, host not yet) → 200',
    origin: 'validator',
    run: checkFileInfo({
      verdict: 'accept',
      variant: { proof: 'current' },
      replace: { [PROOF_OLD]: (signed) => headerOf(signed, PROOF), [PROOF]: GARBAGE },
    }),
  },
  {
    name: 'ProofKeyWacBehindHost',
    title:
      'X-WOPI-Proof signed with the old key, X-WOPI-ProofOld garbage (host rotated, client machine not yet) → 200',
    origin: 'validator',
    run: checkFileInfo({
      verdict: 'accept',
      needsOldKey: true,
      variant: { proof: 'old', proofOld: 'none' },
      replace: { [PROOF_OLD]: GARBAGE },
    }),
  },
  {
    name: 'WopiTimestampOlderThan20Min',
    title: 'X-WOPI-TimeStamp of 2015-08-17, proofs valid for it → 500',
    origin: 'validator',
    run: checkFileInfo({ verdict: 'reject', variant: { timestampMs: Date.UTC(2015, 7, 17) } }),
  },
  {
    name: 'ProofKeyCurrentGarbageValidOldFromOldKey',
    title: 'X-WOPI-Proof garbage, X-WOPI-ProofOld signed with the old key (a pairing WOPI forbids) → 500',
    origin: 'validator',
    run: checkFileInfo({
      verdict: 'reject',
      needsOldKey: true,
      variant: { proof: 'none', proofOld: 'old' },
      replace: { [PROOF]: GARBAGE },
    }),
  },
];

const workbenchCases: CheckCase[] = [
  {
    name: 'ProofOldKeyProofOldCurrentKey',
    title: 'X-WOPI-Proof signed with the old key, X-WOPI-ProofOld with the current key → 200',
    origin: 'workbench',
    rationale:
      'PROTOCOL §8.3: accept if any of Proof/current, ProofOld/current, Proof/old verifies; here two of them do (PITFALLS #6).',
    run: checkFileInfo({
      verdict: 'accept',
      needsOldKey: true,
      variant: { proof: 'old', proofOld: 'current' },
    }),
  },
  {
    name: 'TimestampJustOver20Minutes',
    title: 'X-WOPI-TimeStamp 21 minutes old, proofs valid for it → 500',
    origin: 'workbench',
    rationale:
      'PROTOCOL §8.3: reject a timestamp more than 20 minutes old, with 500 (PITFALLS #5); a window measured in the wrong unit lets this one through.',
    // The stamp is taken when the case runs, not when the module loads.
    run: (ctx) =>
      checkFileInfo({ verdict: 'reject', variant: { timestampMs: Date.now() - 21 * MINUTE } })(ctx),
  },
  {
    name: 'SignedForAnotherUrl',
    title: 'proofs signed over another file’s URL (same token, same time) → 500',
    origin: 'workbench',
    rationale:
      'PROTOCOL §8.2: the signed data holds the full URL the client called, query included; a proof for another URL does not verify (PITFALLS #2, #5).',
    run: checkFileInfo({
      verdict: 'reject',
      signUrl: (sent) => sent.replace(/\/files\/([^/?]+)/, '/files/$1x'),
    }),
  },
  {
    name: 'SignedForAnotherToken',
    title: 'proofs signed over another access token (same URL, same time) → 500',
    origin: 'workbench',
    rationale:
      'PROTOCOL §8.2: the signed data starts with the access token; a proof made for another token does not verify (PITFALLS #3, #5).',
    run: checkFileInfo({ verdict: 'reject', signToken: 'another0token0than0the0one0sent' }),
  },
  {
    name: 'GetFileWithGarbageProof',
    title: 'GetFile with both proofs garbage → 500, and no file bytes',
    origin: 'workbench',
    rationale:
      'PROTOCOL §8: the client signs every WOPI request (only FileUrl is exempt), so every operation checks the proof; failure is 500 (PITFALLS #5).',
    async run(ctx) {
      const signer = signerOf(ctx);
      const bytes = await readContent(ctx, ctx.target, 'signed correctly');
      const res = await sendSigned(ctx, signer, {
        suffix: '/contents',
        replace: { [PROOF]: GARBAGE, [PROOF_OLD]: GARBAGE },
      });
      reject(res);
      if (bytes.length > 0 && res.body.equals(bytes))
        throw new CaseFailure(
          'no file content with a refused proof',
          `${res.status} with the file's bytes`,
          res.recordId,
        );
    },
  },
  {
    name: 'LockWithGarbageProof',
    title: 'Lock with both proofs garbage → 500, and no lock taken',
    origin: 'workbench',
    rationale:
      'PROTOCOL §8: every WOPI request is signed and checked, writes included; failure is 500 and the request is not carried out (PITFALLS #5).',
    async run(ctx) {
      const signer = signerOf(ctx);
      if (ctx.info['SupportsLocks'] !== true) throw new CaseSkip('SupportsLocks is not true');
      ctx.cleanup(() => ctx.client.unlock(ctx.target, LOCK));
      const res = await sendSigned(ctx, signer, {
        method: 'POST',
        headers: { 'X-WOPI-Override': 'LOCK', 'X-WOPI-Lock': LOCK },
        replace: { [PROOF]: GARBAGE, [PROOF_OLD]: GARBAGE },
      });
      reject(res);
      const after = await ctx.client.unlock(ctx.target, LOCK);
      if (after.status === 200)
        throw new CaseFailure(
          'no lock taken by the refused Lock',
          'Unlock afterwards answered 200',
          after.recordId,
        );
    },
  },
];

export const proofKeysGroup: CheckGroup = {
  id: 'ProofKeys',
  title: 'Proof keys: the three accepted pairings, and 500 for every proof that does not verify',
  requires: {},
  needsSigner: true,
  cases: [...validatorCases, ...workbenchCases],
};

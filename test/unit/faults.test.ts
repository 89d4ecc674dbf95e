// The faults room on its own: every preset is a valid rule, the seeded draw is a pure function of
// (seed, n) that spreads like a fair coin, rules files are checked whole with field paths, and
// docs/FAULTS.md is the one written from the presets table.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import {
  draw,
  FAULT_PRESETS,
  FaultRuleError,
  fires,
  parseAdd,
  parseRulesFile,
  presetsMarkdown,
} from '../../server/faults';

void describe('fault rules', () => {
  void it('every preset is a valid rule whose own preset id it carries', () => {
    const ids = new Set<string>();
    for (const p of FAULT_PRESETS) {
      assert.ok(!ids.has(p.id), `duplicate preset ${p.id}`);
      ids.add(p.id);
      const rule = parseAdd({ preset: p.id });
      assert.equal(rule.preset, p.id);
      assert.deepEqual(rule.effect, p.rule.effect);
    }
    for (const id of [
      'lock-held-elsewhere',
      'token-expired',
      'file-too-large',
      'host-unavailable-on-save',
      'server-error-on-save',
      'file-changed-elsewhere',
      'read-only-user',
      'locks-unsupported',
      'file-not-found',
      'save-as-unsupported',
      'slow-download',
      'download-cut',
      'upload-cut',
      'dropped-connection',
    ])
      assert.ok(ids.has(id), `preset ${id} is missing`);
  });

  void it('the draw is a pure function of (seed, n) and spreads evenly', () => {
    assert.equal(draw(5, 17), draw(5, 17));
    assert.notEqual(draw(5, 17), draw(6, 17));
    assert.notEqual(draw(5, 17), draw(5, 18));
    let fired = 0;
    for (let n = 1; n <= 10_000; n++) {
      const d = draw(123, n);
      assert.ok(d >= 0 && d < 1);
      if (fires({ mode: 'probability', probability: 0.3, seed: 123 }, n, 0)) fired += 1;
    }
    // 3000 expected; a biased or constant generator falls far outside this band.
    assert.ok(fired > 2700 && fired < 3300, `${fired} of 10000 at p=0.3`);
    assert.equal(fires({ mode: 'probability', probability: 0, seed: 1 }, 1, 0), false);
    assert.equal(fires({ mode: 'probability', probability: 1, seed: 1 }, 1, 0), true);
    assert.equal(fires({ mode: 'next', count: 2 }, 5, 1), true);
    assert.equal(fires({ mode: 'next', count: 2 }, 5, 2), false);
  });

  void it('a rules file is checked whole, and a bad rule is named by its index and field', () => {
    const ok = parseRulesFile({
      format: 'wopi-workbench-faults',
      version: 1,
      rules: [{ preset: 'token-expired', match: { personaId: 'coauthor' } }],
    });
    assert.equal(ok.rules[0]!.match.personaId, 'coauthor');
    const bad = (v: unknown, message: RegExp): void =>
      assert.throws(
        () => parseRulesFile(v),
        (e: unknown) => e instanceof FaultRuleError && message.test(e.message),
      );
    bad([], /JSON object/);
    bad({ format: 'other', version: 1, rules: [] }, /format must be "wopi-workbench-faults"/);
    bad({ format: 'wopi-workbench-faults', version: 2, rules: [] }, /version must be 1/);
    bad(
      {
        format: 'wopi-workbench-faults',
        version: 1,
        rules: [{ effect: { kind: 'latency', ms: 5 } }, { effect: { kind: 'status', status: 200 } }],
      },
      /^rules\[1\]\.effect\.status must be one of/,
    );
    bad(
      { format: 'wopi-workbench-faults', version: 1, rules: [{ preset: 'nope' }] },
      /^rules\[0\]\.preset "nope"/,
    );
  });

  void it('docs/FAULTS.md is the one written from the presets table', async () => {
    const onDisk = await readFile(new URL('../../docs/FAULTS.md', import.meta.url), 'utf8');
    assert.equal(onDisk, presetsMarkdown(), 'run: node --import tsx scripts/faults-doc.ts');
  });
});

// The README's control-API table is what people script against: it must name every route of the
// contract, and no route the contract does not have.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ControlRoutes } from '../../server/contracts/control';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

void test('the README lists every control-API route, and only those', () => {
  const section = readme.split('## Scripting the workbench: the control API')[1]?.split('\n## ')[0];
  assert.ok(section, 'README has the control API section');
  const listed = new Set(
    [...section.matchAll(/`((?:GET|POST|PUT|PATCH|DELETE) \/v1\/[^`\s]*)`/g)].map((m) => m[1]),
  );
  const contract = new Set(Object.values(ControlRoutes));
  assert.deepEqual(
    [...contract].filter((r) => !listed.has(r)),
    [],
    'routes missing from the README',
  );
  assert.deepEqual(
    [...listed].filter((r) => !contract.has(r as (typeof ControlRoutes)[keyof typeof ControlRoutes])),
    [],
    'README routes the contract does not have',
  );
});

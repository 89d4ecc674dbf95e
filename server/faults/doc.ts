// docs/FAULTS.md, written from the presets table (scripts/faults-doc.ts; a test keeps it current).
import { effectPhrase } from './describe';
import { FAULT_PRESETS } from './presets';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function presetsMarkdown(): string {
  const rows = FAULT_PRESETS.map((p) => {
    const ops = p.rule.match?.operations?.join(', ') ?? 'every operation';
    const fire = p.rule.fire?.mode === 'next' ? `next ${p.rule.fire.count}` : (p.rule.fire?.mode ?? 'every');
    return `| \`${p.id}\` | ${cell(p.title)} | ${cell(p.officeBehaviour)} | ${cell(p.response)} | ${cell(ops)}; ${fire}; ${cell(effectPhrase(p.rule.effect))} | [${cell(p.source.title)}](${p.source.url}) |`;
  });
  return [
    '# Fault presets',
    '',
    '<!-- Written by `node --import tsx scripts/faults-doc.ts` from server/faults/presets.ts; do not edit. -->',
    '',
    'A fault rule makes the workbench host misbehave on purpose, the same way every time: it matches',
    'operations, a file and a persona, fires on the next N matching requests, on every one, or with a',
    'seeded probability, and answers with a status (and the headers the protocol pairs with it), a delay,',
    'a paced or cut body, a dropped connection, or changed CheckFileInfo properties. A request a rule',
    'touched carries a `fault` tag in its record (rule, preset, what it did), and its `why` says it was',
    'injected. No fault writes: a refused, cut or dropped PutFile leaves the file as it was.',
    '',
    'Add a preset with `POST /v1/faults` and `{"preset":"<id>"}` (optionally with `match`, `fire`,',
    '`name` to narrow or change it), or list them in a rules file for `serve --faults FILE.json`.',
    'Section numbers (§) refer to the WOPI protocol digest the workbench is built from.',
    '',
    '| preset | title | what Office does | what the matching requests get | rule (operations; firing; effect) | documented in |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

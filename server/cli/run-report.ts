// How `check` and `scenario run` report a finished run: text or JSON on stdout, JUnit to a file,
// the stop reason on stderr, exit code 1 unless every case passed. Everything passes `scrub` first.
import { writeFileSync } from 'node:fs';
import { jsonReport, junitReport, runPassed, textReport } from '../conformance/report';
import type { CheckRunView } from '../contracts/api';
import { redact } from '../events/redact';
import { CliError } from './args';
import { consoleSafe, jsonConsoleSafe } from './console-safe';

export function reportRun(
  run: CheckRunView,
  opts: {
    json: boolean;
    junit: string | undefined;
    out: (line: string) => void;
    scrub: (text: string) => string;
  },
): void {
  const { scrub, out } = opts;
  const shown = redact(run);
  if (opts.json) out(jsonConsoleSafe(scrub(jsonReport(shown))));
  else for (const line of textReport(shown)) out(consoleSafe(scrub(line)));
  if (opts.junit !== undefined) {
    try {
      writeFileSync(opts.junit, scrub(junitReport(shown)));
    } catch (e) {
      throw new CliError(
        `cannot write the JUnit report to ${opts.junit}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  if (run.state === 'failed')
    process.stderr.write(`wopi-workbench: ${consoleSafe(scrub(run.error ?? 'the run stopped'))}\n`);
  if (!runPassed(run)) process.exitCode = 1;
}

// The CLI's side of the flag table (flags.ts): the two error kinds, the typed parse every command
// starts with, and the help text, made from the table so it cannot drift from what is accepted.
import { readFlags } from './flag-parse';
import {
  COMMAND_ARGS,
  COMMANDS,
  flagDef,
  flagsOf,
  helpOf,
  RULES,
  type Command,
  type FlagName,
  type FlagValues,
} from './flags';

/** The command line itself is wrong: exit 2, with a pointer to --help. */
export class UsageError extends Error {}

/** The command line is fine but the run cannot go on (a file not served, no serve running): exit 1. */
export class CliError extends Error {}

/**
 * A command's flags, every one checked against the table and the command's rules (required flags,
 * flags that need or exclude another): the first mistake is a UsageError.
 */
export function parseFlags<C extends Command>(argv: readonly string[], command: C): FlagValues<C> {
  const { values, problems } = readFlags(argv, command);
  if (problems[0] !== undefined) throw new UsageError(problems[0]);
  return values;
}

export function isCommand(name: string): name is Command {
  return (COMMANDS as readonly string[]).includes(name);
}

// --- help ----------------------------------------------------------------------------------------

const WIDTH = 112;
const PROGRAM = 'wopi-workbench';

/** `--name META`, META being the choices when they are few enough to read inline. */
function spelled(name: FlagName): string {
  const def = flagDef(name);
  if (def.type === 'boolean') return `--${name}`;
  const meta = def.meta ?? (def.type === 'string' && def.choices ? def.choices.join('|') : 'VALUE');
  return `--${name} ${meta}`;
}

/** A flag with the flags that only apply with it nested inside: `--user PERSONA [--ad-hoc]`. */
function withDependents(command: Command, name: FlagName): string {
  const dependents = (RULES[command].requires ?? []).filter(([, needs]) => needs === name);
  return [spelled(name), ...dependents.map(([flag]) => `[${withDependents(command, flag)}]`)].join(' ');
}

/** The synopsis pieces: required flags bare, then `[optional]`, `[a | b]` for flags that exclude. */
function synopsisItems(command: Command): string[] {
  const rules = RULES[command];
  const required = new Set(Object.keys(rules.required ?? {}));
  const dependent = new Set((rules.requires ?? []).map(([flag]) => flag));
  const done = new Set<string>();
  const items: string[] = [];
  for (const name of flagsOf(command).filter((n) => required.has(n))) items.push(spelled(name));
  for (const name of flagsOf(command)) {
    if (required.has(name) || dependent.has(name) || done.has(name)) continue;
    const pair = (rules.excludes ?? []).find((p) => p.includes(name));
    const partner = pair?.find((n) => n !== name);
    done.add(name);
    if (partner === undefined) {
      items.push(`[${withDependents(command, name)}]`);
      continue;
    }
    done.add(partner);
    items.push(`[${withDependents(command, name)} | ${withDependents(command, partner)}]`);
  }
  return items;
}

/** `head` then the pieces, wrapped at WIDTH under the first one. */
function wrap(head: string, pieces: readonly string[]): string {
  const indent = ' '.repeat(head.length);
  const lines: string[] = [];
  let line = head;
  for (const piece of pieces) {
    if (line.length + piece.length > WIDTH && line !== head && line !== indent) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${piece} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** One command's synopsis, wrapped under its first flag. */
export function synopsis(command: Command, program = PROGRAM): string {
  // Commands with words of their own (`scenario run FILE|ID`) are not padded to the others.
  const longest = Math.max(...COMMANDS.filter((c) => COMMAND_ARGS[c] === undefined).map((c) => c.length));
  const args = COMMAND_ARGS[command];
  const head = args === undefined ? command.padEnd(longest) : `${command} ${args}`;
  return wrap(`  ${program} ${head} `, synopsisItems(command));
}

/** The usage of every command: `wopi-workbench --help`. */
export function usage(program = PROGRAM): string {
  return `Usage:
${COMMANDS.map((c) => synopsis(c, program)).join('\n')}
  ${program} --version

--samples serves a copy of the bundled sample files, kept in the data dir (your edits stay there).
--user names a persona (see serve --personas); --ad-hoc mints for a user outside the personas.
check runs the conformance suite against any WOPI host; it writes to the file, so point it at a
scratch .wopitest file (or pass --allow-writes). Exit 0 when every case passed or was skipped.
scenario run plays a scenario file (or a shipped scenario by id) against the serve of --data-dir, or
an embedded workbench when none runs; \`scenario list\` lists the shipped ones.
Run \`${program} COMMAND --help\` for a command's flags.`;
}

/** One command's usage and a line per flag: `wopi-workbench serve --help`. */
export function commandHelp(command: Command, program = PROGRAM): string {
  const names = flagsOf(command);
  const rows: Array<[string, string]> = names.map((name) => {
    const def = flagDef(name);
    let text = helpOf(name, command);
    if (def.type === 'string' && def.choices && def.meta) text += `: ${def.choices.join(', ')}`;
    return [spelled(name), text];
  });
  rows.push(['-h, --help', 'this text']);
  const column = Math.max(...rows.map(([left]) => left.length)) + 4;
  const table = rows.map(([left, text]) => wrap(`  ${left}`.padEnd(column), text.split(' '))).join('\n');
  return `Usage:\n${synopsis(command, program)}\n\nFlags:\n${table}\n
A switch takes no value (--no-NAME turns it off); a value that starts with "-" goes as --flag=VALUE.`;
}

/**
 * The command line: registers the commands and is the one place where errors become a message
 * on stderr and an exit code (docs/exit-codes.md). No stack traces reach an admin unless
 * IDRECON_DEBUG is set.
 */
import { unlinkSync } from 'node:fs';
import yargs, { type Argv } from 'yargs';
import { apply } from './commands/apply';
import { convert } from './commands/convert';
import { exportCommand } from './commands/export-cloud';
import { exportOktaCommand } from './commands/export-okta';
import { exportOnpremCommand } from './commands/export-onprem';
import { plan } from './commands/plan';
import { planVerify } from './commands/plan-verify';
import { reconcile } from './commands/reconcile';
import { rollback } from './commands/rollback';
import { tenantCommand } from './commands/tenant-serve';
import { EXIT, IdreconError, exitCodeFor, formatError } from './errors';
import { pendingTempFiles } from './io/csv-writer';
import { interrupt } from './io/interrupt';
import { type Command, type CommandIo, parseArgs } from './options';
import { VERSION } from './version';

const COMMANDS: Command<any>[] = [reconcile, plan, planVerify, apply, rollback, convert, exportCommand, exportOktaCommand, exportOnpremCommand, tenantCommand];

/**
 * Commands named in two words ('export cloud', 'tenant serve') are sub-commands of their first word:
 * of a group below, or of a command of that name, which runs when no sub-command is named
 * ('plan' and 'plan verify').
 */
const GROUPS: Record<string, string> = {
  tenant: 'the local Graph-compatible tenant for rehearsals and tests: idrecon tenant serve',
  export: 'export users: idrecon export cloud (Entra ID), idrecon export okta (Okta) or idrecon export onprem (Active Directory)',
};

export async function main(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let exitCode: number = EXIT.ok;
  try {
    let parser = yargs(argv)
      .scriptName('idrecon')
      .usage('idrecon <command> [options]\n\nFinds and fixes ImmutableID (source anchor) mismatches between Active Directory, Entra ID and Okta.')
      .strict()
      .demandCommand(1, 'name a command (idrecon --help lists them)')
      .recommendCommands()
      .help()
      .alias('help', 'h')
      .version(VERSION)
      .alias('version', 'V')
      .wrap(Math.min(110, process.stdout.columns || 110))
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? usageError(msg, (COMMANDS.find((c) => c.name === argv.slice(0, 2).join(' ')) ?? COMMANDS.find((c) => c.name === argv[0])));
      });
    const register = <T>(y: Argv<T>, cmd: Command<any>, name: string): Argv<T> => {
      const spec = cmd.positionals ? `${name} ${cmd.positionals}` : name;
      const members = COMMANDS.filter((c) => c.name.startsWith(`${cmd.name} `));
      if (members.length) refuseUnknownWord(argv, cmd, members);
      return y.command(
        spec,
        cmd.summary,
        (sub) => {
          // Not global: a sub-command takes only its own options.
          const own = Object.fromEntries(Object.entries(cmd.options).map(([key, o]) => [key, { ...o, global: false }]));
          let built = sub.usage(cmd.usage).options(own);
          for (const member of members) built = register(built, member, member.name.slice(cmd.name.length + 1));
          return built;
        },
        async (raw) => {
          exitCode = await cmd.run(parseArgs(cmd.schema, raw, cmd.positionals?.match(/[\w-]+/g) ?? [], argv), io);
        },
      );
    };
    for (const cmd of COMMANDS.filter((c) => !c.name.includes(' '))) parser = register(parser, cmd, cmd.name);
    for (const [group, summary] of Object.entries(GROUPS)) {
      const members = COMMANDS.filter((c) => c.name.startsWith(`${group} `));
      const names = members.map((c) => c.name.slice(group.length + 1));
      // Said before yargs would list every option of the unknown command as an unknown argument.
      const given = argv[1] === undefined || argv[1].startsWith('-') ? undefined : argv[1];
      const asksHelp = argv.includes('--help') || argv.includes('-h');
      if (argv[0] === group && !(given && names.includes(given)) && !(given === undefined && asksHelp)) {
        const expected = `expected ${choicesOf(names)} (idrecon ${group} ${names[0]})`;
        throw new IdreconError('USAGE', `<what>: ${expected}, got ${given === undefined ? 'nothing' : `'${given}'`}; see idrecon ${group} --help`);
      }
      parser = parser.command(group, summary, (y) => {
        let sub = y.usage(`idrecon ${group} <${names.join('|')}> [options]\n\n${summary}`);
        for (const cmd of members) sub = register(sub, cmd, cmd.name.slice(group.length + 1));
        return sub;
      });
    }
    await parser.parseAsync();
    return exitCode;
  } catch (err) {
    return report(err, io);
  }
}

/** `idrecon plan foo`: a word that names no sub-command of a command that also runs without one. */
function refuseUnknownWord(argv: readonly string[], cmd: Command<unknown>, members: Command<unknown>[]): void {
  const names = members.map((c) => c.name.slice(cmd.name.length + 1));
  const given = argv[0] === cmd.name ? argv[1] : undefined;
  if (given === undefined || given.startsWith('-') || names.includes(given)) return;
  const example = [cmd.name, names[0], ...(members[0].positionals?.match(/[\w-]+/g) ?? []).map((p) => p.toUpperCase())].join(' ');
  throw new IdreconError('USAGE', `<${names.join('|')}>: expected ${choicesOf(names)} (idrecon ${example}) or no word at all, got '${given}'`);
}

/** 'a', 'b' or 'c' */
function choicesOf(names: string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted[0];
}

/** yargs's own complaints, worded like every other option error: "what: expected X, got Y". */
function usageError(msg: string, cmd: Command<unknown> | undefined): IdreconError {
  const help = cmd ? `idrecon ${cmd.name} --help` : 'idrecon --help';
  const unknown = /^Unknown arguments?: ([^,]+)/.exec(msg);
  if (unknown && cmd) return new IdreconError('USAGE', `--${unknown[1]}: expected an option of this command, got an unknown one; see ${help}`);
  if (/^Not enough non-option arguments/.test(msg) && cmd?.positionals) {
    const name = cmd.positionals.match(/[\w-]+/)![0];
    const issue = cmd.schema.safeParse({}).error?.issues.find((i) => i.path[0] === name);
    return new IdreconError('USAGE', `<${name}>: ${issue?.message ?? 'expected a value'}, got nothing; see ${help}`);
  }
  return new IdreconError('USAGE', `${msg}; see ${help}`);
}

function report(err: unknown, io: CommandIo): number {
  if (err instanceof IdreconError) {
    io.stderr.write(`idrecon: ${formatError(err)}\n`);
    return exitCodeFor(err.code);
  }
  const detail = process.env.IDRECON_DEBUG && err instanceof Error ? `\n${err.stack}` : ' (set IDRECON_DEBUG=1 for details)';
  io.stderr.write(`idrecon: unexpected failure: ${err instanceof Error ? err.message : String(err)}${detail}\n`);
  return EXIT.unexpected;
}

/** Entry point for bin/idrecon.js. */
export function run(): void {
  // A closed pipe (idrecon ... | head) is the reader's choice, not an error: output stops quietly,
  // and the command still finishes and sets its exit code (a --fail-on gate must not read as 0).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping && interrupt(signal)) {
        stopping = true;
        process.stderr.write(`\nidrecon: stopping: rows in flight are being finished (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again stops at once)\n`);
        return;
      }
      for (const temp of pendingTempFiles) {
        try {
          unlinkSync(temp);
        } catch {
          // already gone
        }
      }
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

// The CLI entry: parses argv with commander, runs one command, and maps every outcome to
// an exit code. bin.ts is the only place that calls process.exit.

import { Command, CommanderError } from 'commander';
import { ExitCode, isLeadliftError } from '../errors.js';
import { VERSION } from '../version.js';
import { COMMANDS } from './commands/index.js';
import { createContext } from './context.js';
import type { CliIo } from './io.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = createContext(io);
  const program = new Command('leadlift')
    .description(
      'Scores leads from AI sales agent campaign data and recommends campaign changes.\nExit codes: 0 ok, 1 internal error, 2 usage or bad input, 3 a gate failed, 4 database error, 5 busy.',
    )
    .version(VERSION, '-V, --version')
    .option('--json', 'print machine-readable JSON on stdout instead of text')
    .option('-q, --quiet', 'no progress output')
    .option(
      '--config <file>',
      'configuration file (default: leadlift.config.json in the current folder; env LEADLIFT_CONFIG)',
    )
    .showSuggestionAfterError(true)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  for (const register of COMMANDS) register(program, ctx);
  for (const cmd of program.commands) {
    cmd
      .showSuggestionAfterError(true)
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .exitOverride();
  }

  if (argv.length === 0) {
    program.outputHelp();
    return ExitCode.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      ) {
        return ExitCode.ok;
      }
      return ExitCode.usage;
    }
    if (isLeadliftError(e)) {
      const jsonMode = argv.includes('--json');
      if (jsonMode) {
        io.stdout(
          `${JSON.stringify({ ok: false, error: { code: e.code, message: e.message, details: e.details } }, null, 2)}\n`,
        );
      }
      io.stderr(`leadlift: ${e.message} [${e.code}]\n`);
      return e.exitCode;
    }
    const err = e as Error;
    io.stderr(
      `leadlift: internal error: ${err?.message ?? String(e)}\nThis is a bug; please report it with the command you ran.\n${io.env.LEADLIFT_DEBUG ? (err?.stack ?? '') : ''}`,
    );
    return ExitCode.internal;
  }
}

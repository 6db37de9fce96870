// `leadlift schema`: prints the reference Agent Cory schema's DDL for a dialect, or
// creates it in a target database.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { DIALECTS, type Dialect, ddlFileText, ddlFor, openTarget, parseDbUrl } from '../../db/index.js';
import { closest, LeadliftError } from '../../errors.js';
import type { CommandContext } from '../context.js';

interface SchemaFlags {
  dialect?: Dialect;
  print?: boolean;
  create?: boolean;
  targetUrl?: string;
}

/** commander argument parser for --dialect: one of DIALECTS, with a suggestion otherwise. */
function parseDialect(value: string): Dialect {
  const v = value.trim().toLowerCase();
  if ((DIALECTS as readonly string[]).includes(v)) return v as Dialect;
  const guess = closest(v, DIALECTS);
  throw new InvalidArgumentError(
    `Unknown dialect "${value}"; allowed: ${DIALECTS.join(', ')}.${guess ? ` Did you mean ${guess}?` : ''}`,
  );
}

/** Registers `leadlift schema`. */
export function registerSchema(program: Command, ctx: CommandContext): void {
  program
    .command('schema')
    .summary('print the reference Agent Cory schema (DDL) for a dialect, or create it in a database')
    .description(
      "Prints the DDL of leadlift's reference Agent Cory schema (the tables DESIGN.md lists plus the documented " +
        'extension, see docs/schema.md) for SQLite, PostgreSQL or SQL Server: what schema/agent-cory.<dialect>.sql ' +
        'holds. With --create, applies it to --target-url in one transaction instead; the database must not have ' +
        'the tables yet (an SQLite file is created if missing).',
    )
    .addOption(
      new Option(
        '--dialect <name>',
        `SQL dialect: ${DIALECTS.join(' | ')} (default: the dialect of --target-url with --create, else sqlite)`,
      ).argParser(parseDialect),
    )
    .option('--print', 'print the DDL on stdout (the default when --create is not given)')
    .option('--create', 'create the schema in the --target-url database, in one transaction')
    .option(
      '--target-url <url>',
      'database for --create: sqlite:FILE | postgres://user:pass@host/db | mssql://user:pass@host/db (env LEADLIFT_TARGET_URL)',
    )
    .action(async (flags: SchemaFlags, cmd: Command) => {
      if (!flags.create) {
        if (flags.targetUrl !== undefined) {
          throw new LeadliftError(
            'schema.targetWithoutCreate',
            '--target-url is only used with --create; add --create to create the schema there, or drop --target-url to print the DDL.',
          );
        }
        printDdl(ctx, cmd, flags.dialect ?? 'sqlite');
        return;
      }
      const config = await ctx.config(cmd, { targetUrl: flags.targetUrl });
      const url = config.targetUrl;
      if (url === undefined) {
        throw new LeadliftError(
          'schema.noTarget',
          '--create needs a database to create the schema in: pass --target-url URL or set LEADLIFT_TARGET_URL (or targetUrl in the config file).',
        );
      }
      const parsed = parseDbUrl(url, ctx.io.cwd, 'target');
      if (flags.dialect !== undefined && flags.dialect !== parsed.dialect) {
        throw new LeadliftError(
          'schema.dialectMismatch',
          `--dialect ${flags.dialect} does not match --target-url ${parsed.redacted}, which is ${parsed.dialect}; drop --dialect or use ${parsed.dialect}.`,
        );
      }
      const dialect = parsed.dialect;
      if (flags.print) printDdl(ctx, cmd, dialect);
      const statements = ddlFor(dialect);
      const target = await openTarget(url, { cwd: ctx.io.cwd, create: true });
      try {
        await target.transaction(() => target.execute(statements));
      } finally {
        await target.close();
      }
      const tables = statements.filter((s) => /\bCREATE TABLE\b/.test(s)).length;
      const indexes = statements.filter((s) => s.startsWith('CREATE INDEX')).length;
      ctx.say(
        cmd,
        `Created the reference schema (${tables} tables, ${indexes} indexes) in ${parsed.redacted}.`,
      );
      ctx.json(cmd, { ok: true, dialect, target: target.fingerprint, tables, indexes });
    });
}

function printDdl(ctx: CommandContext, cmd: Command, dialect: Dialect): void {
  if (ctx.globals(cmd).json) {
    ctx.json(cmd, { dialect, statements: ddlFor(dialect) });
  } else {
    ctx.io.stdout(ddlFileText(dialect));
  }
}

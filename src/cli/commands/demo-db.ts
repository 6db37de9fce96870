// `leadlift demo-db`: writes a realistic Agent Cory database with planted effects and its
// ground-truth file, into a SQLite file (built under a temporary name and renamed at the
// end, see src/demo/sqlite-file.ts) or an empty server database.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openTarget, parseDbUrl } from '../../db/index.js';
import { DEMO_DEFAULTS, DEMO_LIMITS, resolveDemoOptions } from '../../demo/options.js';
import { DEFAULT_DEMO_DB_PATH, writeDemoSqlite } from '../../demo/sqlite-file.js';
import { type DemoTruth, writeTruthFile } from '../../demo/truth.js';
import { dropDemoTables, inspectDemoTarget, writeDemoDb } from '../../demo/write.js';
import { LeadliftError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import type { RegisterCommand } from './index.js';

interface DemoDbFlags {
  out?: string;
  targetUrl?: string;
  seed?: string;
  enrollments?: string;
  orgs?: string;
  start?: string;
  days?: string;
  truth?: string;
  force?: boolean;
}

export const registerDemoDb: RegisterCommand = (program: Command, ctx: CommandContext) => {
  program
    .command('demo-db')
    .summary('write a demo Agent Cory DB with planted effects and a ground-truth file')
    .description(
      'Writes a realistic Agent Cory demo database (SQLite by default) with planted effects, and a ground-truth\n' +
        'file (<db>.truth.json) listing every effect with its ids and every kind of messiness injected.',
    )
    .option('--out <file>', `SQLite file to write (default ${DEFAULT_DEMO_DB_PATH})`)
    .option(
      '--target-url <url>',
      'write into this database instead (postgres://…, mssql://…); it must not hold the tables yet',
    )
    .option('--seed <n>', `PRNG seed (default ${DEMO_DEFAULTS.seed}; ${DEMO_LIMITS.seed.join('–')})`)
    .option(
      '--enrollments <n>',
      `number of enrollments (default ${DEMO_DEFAULTS.enrollments}; ${DEMO_LIMITS.enrollments.join('–')})`,
    )
    .option(
      '--orgs <n>',
      `number of organizations (default ${DEMO_DEFAULTS.orgs}; ${DEMO_LIMITS.orgs.join('–')})`,
    )
    .option('--start <date>', `first enrollment day, YYYY-MM-DD (default ${DEMO_DEFAULTS.start})`)
    .option(
      '--days <n>',
      `days over which leads arrive (default ${DEMO_DEFAULTS.days}; ${DEMO_LIMITS.days.join('–')})`,
    )
    .option('--truth <file>', 'ground-truth file (default: the SQLite file name with .truth.json)')
    .option('--force', 'replace an existing demo database and truth file')
    .action(async (flags: DemoDbFlags, cmd: Command) => {
      await runDemoDb(flags, cmd, ctx);
    });
};

async function runDemoDb(flags: DemoDbFlags, cmd: Command, ctx: CommandContext): Promise<void> {
  const started = Date.now();
  const cwd = ctx.io.cwd;
  const options = resolveDemoOptions({
    seed: flags.seed,
    enrollments: flags.enrollments,
    orgs: flags.orgs,
    start: flags.start,
    days: flags.days,
  });
  if (flags.out !== undefined && flags.targetUrl !== undefined) {
    throw new LeadliftError(
      'demo.badFlag',
      `--out "${flags.out}" and --target-url were both given; use --out for a SQLite file or --target-url for a server database, not both.`,
      { details: { flag: '--out' } },
    );
  }
  const force = flags.force === true;
  let sqliteFile: string | undefined;
  if (flags.targetUrl === undefined) {
    sqliteFile = resolve(cwd, flags.out ?? DEFAULT_DEMO_DB_PATH);
  } else {
    const u = parseDbUrl(flags.targetUrl, cwd, 'target');
    if (u.dialect === 'sqlite') {
      if (u.memory) {
        throw new LeadliftError(
          'demo.badFlag',
          '--target-url sqlite::memory: would be lost when demo-db exits; give a file (--out FILE) instead.',
          { details: { flag: '--target-url', value: 'sqlite::memory:' } },
        );
      }
      sqliteFile = u.file;
    }
  }

  const progress = ctx.progress(cmd);
  let truth: DemoTruth;
  let truthPath: string;
  let database: string;
  if (sqliteFile !== undefined) {
    const written = await writeDemoSqlite(
      sqliteFile,
      options,
      { cwd, force, ...(flags.truth !== undefined ? { truthPath: flags.truth } : {}) },
      progress,
    );
    truth = written.truth;
    truthPath = written.truthPath;
    database = written.file;
  } else {
    const target = await openTarget(flags.targetUrl!, { cwd });
    try {
      const fp = target.fingerprint;
      database = `${fp.dialect} database ${fp.database}${fp.host ? ` on ${fp.host}` : ''}`;
      truthPath = resolve(cwd, flags.truth ?? `tmp/demo/${fp.database}.truth.json`);
      if (existsSync(truthPath) && !force) {
        throw new LeadliftError(
          'demo.outputExists',
          `${truthPath} already exists; pass --force to replace it, or choose another file with --truth.`,
          { details: { file: truthPath } },
        );
      }
      const existing = await inspectDemoTarget(target);
      if (existing.tables.length > 0) {
        if (!force) {
          throw new LeadliftError(
            'demo.outputExists',
            `${database} already has ${existing.tables.length} of the demo tables${existing.isDemo ? ' (an earlier demo)' : ''}; pass --force to replace a demo database, or use an empty one.`,
            { details: { tables: existing.tables } },
          );
        }
        await dropDemoTables(target, database);
      }
      truth = await writeDemoDb(target, options, progress);
    } finally {
      await target.close();
    }
    await writeTruthFile(truthPath, truth);
  }
  report(cmd, ctx, truth, database, truthPath, (Date.now() - started) / 1000);
}

function report(
  cmd: Command,
  ctx: CommandContext,
  truth: DemoTruth,
  database: string,
  truthPath: string,
  seconds: number,
): void {
  const n = (x: number) => x.toLocaleString('en-US');
  const m = truth.messiness;
  const lines = [
    `Demo database written: ${database}`,
    `  seed ${truth.seed}, ${n(truth.options.enrollments)} enrollments, ${truth.options.orgs} orgs, ${truth.window.start.slice(0, 10)} + ${truth.options.days} days (as of ${truth.window.as_of}), ${seconds.toFixed(1)} s`,
    '  rows:',
    ...Object.entries(truth.sizes).map(([t, rows]) => `    ${t.padEnd(40)} ${n(rows).padStart(12)}`),
    `  planted effects (${truth.effects.length}):`,
    ...truth.effects.map(
      (e) =>
        `    ${e.id.padEnd(28)} ${e.kind.padEnd(15)} ${e.target.padEnd(12)} ${e.direction.padEnd(5)} odds ×${e.odds_ratio.toFixed(2)}`,
    ),
    `  messiness: ${n(m.duplicate_activities)} duplicate activities, ${n(m.duplicate_messages)} duplicate messages, ${n(m.test_contacts.count)} test contacts, late, placeholders, mixed case and more`,
    `Ground truth: ${truthPath}`,
  ];
  ctx.say(cmd, lines.join('\n'));
  ctx.json(cmd, {
    ok: true,
    database,
    truth: truthPath,
    seed: truth.seed,
    options: truth.options,
    window: truth.window,
    sizes: truth.sizes,
    effects: truth.effects.map((e) => ({
      id: e.id,
      kind: e.kind,
      level: e.level,
      target: e.target,
      direction: e.direction,
      odds_ratio: e.odds_ratio,
    })),
    seconds,
  });
}

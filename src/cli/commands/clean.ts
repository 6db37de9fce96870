// `leadlift clean`: snapshot → cleaned tables + clean.json.

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { QUALITY_FILE } from '../../check/index.js';
import { cleanSnapshot, formatCleanTable } from '../../clean/index.js';
import { ExitCode, LeadliftError } from '../../errors.js';
import { openSnapshot } from '../../snapshot/manifest.js';
import type { CommandContext } from '../context.js';

interface CleanFlags {
  out?: string;
  overwrite?: boolean;
  ignoreQuality?: boolean;
}

export function registerClean(program: Command, ctx: CommandContext): void {
  program
    .command('clean')
    .summary('normalize and deduplicate a snapshot into cleaned tables with clean.json')
    .description(
      'Writes one cleaned row file per entity: categoricals lower-cased with placeholders as null, timestamps in UTC\n' +
        'ISO-8601, impossible numbers as null, duplicates removed (latest wins), test contacts and their rows removed,\n' +
        "events outside the window or long before their enrollment removed. clean.json counts every rule's changes;\n" +
        'docs/clean-rules.md describes the rules. The folder appears only when complete.',
    )
    .argument('<snapshot-dir>', 'snapshot folder written by `leadlift extract`')
    .option('--out <dir>', 'folder to create (default: <cleanedDir>/<snapshot_id>)')
    .option('--overwrite', 'replace the output folder if it exists')
    .option('--ignore-quality', 'clean even when quality.json is missing or reports errors')
    .action(async (dir: string, flags: CleanFlags, cmd: Command) => {
      const config = await ctx.config(cmd);
      const snapshot = await openSnapshot(resolve(ctx.io.cwd, dir));
      if (flags.ignoreQuality !== true) await assertChecked(snapshot.dir);
      const out = flags.out
        ? resolve(ctx.io.cwd, flags.out)
        : resolve(ctx.io.cwd, config.cleanedDir, snapshot.manifest.snapshot_id);
      const report = await cleanSnapshot(snapshot, config.clean, out, {
        progress: ctx.progress(cmd),
        overwrite: flags.overwrite === true,
      });
      ctx.say(cmd, formatCleanTable(report));
      ctx.say(cmd, `Wrote ${out}`);
      ctx.json(cmd, { ...report, out_dir: out });
    });
}

/** Refuses a snapshot whose checks did not run or failed: cleaning it would hide the problem. */
async function assertChecked(dir: string): Promise<void> {
  let quality: { ok?: unknown };
  try {
    quality = JSON.parse(await readFile(join(dir, QUALITY_FILE), 'utf8')) as { ok?: unknown };
  } catch {
    throw new LeadliftError(
      'clean.notChecked',
      `Snapshot ${dir} has no readable ${QUALITY_FILE}: run \`leadlift check ${dir}\` first, or pass --ignore-quality.`,
      { exitCode: ExitCode.gate, details: { dir } },
    );
  }
  if (quality.ok !== true) {
    throw new LeadliftError(
      'clean.qualityFailed',
      `Snapshot ${dir} failed its data-quality checks (see ${QUALITY_FILE}); fix the source or the check thresholds, or pass --ignore-quality.`,
      { exitCode: ExitCode.gate, details: { dir } },
    );
  }
}

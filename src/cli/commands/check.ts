// `leadlift check`: data-quality checks on a snapshot → quality.json; exit 3 on errors.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  findPreviousSnapshot,
  formatQualityTable,
  qualityError,
  runChecks,
  writeQualityReport,
} from '../../check/index.js';
import { sameSource } from '../../check/volume.js';
import { LeadliftError } from '../../errors.js';
import { openSnapshot, type Snapshot } from '../../snapshot/manifest.js';
import type { CommandContext } from '../context.js';

interface CheckFlags {
  /** A folder, or false with --no-previous. */
  previous?: string | false;
  verify?: boolean;
}

export function registerCheck(program: Command, ctx: CommandContext): void {
  program
    .command('check')
    .summary('run the data-quality checks on a snapshot and write quality.json')
    .description(
      'Streams every entity of a snapshot once and checks required columns, key uniqueness, references between\n' +
        'tables, timestamps (unparseable, in the future, absurdly old, long before their enrollment), allowed values\n' +
        'and, against the previous snapshot of the same source, row volumes per day. Writes quality.json into the\n' +
        'snapshot folder and prints the findings. Exit code 3 when a check with severity error fails.',
    )
    .argument('<snapshot-dir>', 'snapshot folder written by `leadlift extract`')
    .option(
      '--previous <dir>',
      'snapshot to compare volumes with (default: the latest earlier snapshot of the same source in snapshotsDir)',
    )
    .option('--no-previous', 'do not compare volumes with a previous snapshot')
    .option('--verify', "first recompute every file's sha256 and refuse a snapshot changed since extract")
    .action(async (dir: string, flags: CheckFlags, cmd: Command) => {
      const config = await ctx.config(cmd);
      const snapshot = await openSnapshot(resolve(ctx.io.cwd, dir), { verify: flags.verify === true });
      let previous: Snapshot | undefined;
      if (typeof flags.previous === 'string') {
        previous = await openSnapshot(resolve(ctx.io.cwd, flags.previous));
        if (!sameSource(previous.manifest, snapshot.manifest)) {
          throw new LeadliftError(
            'check.previousOtherSource',
            `--previous ${flags.previous} comes from another source (${describeSource(previous)}) than ${dir} (${describeSource(snapshot)}); volumes can only be compared for the same source.`,
            { details: { previous: flags.previous } },
          );
        }
      } else if (flags.previous !== false) {
        previous = await findPreviousSnapshot(resolve(ctx.io.cwd, config.snapshotsDir), snapshot);
      }
      const report = await runChecks(snapshot, config.check, { previous, progress: ctx.progress(cmd) });
      const path = await writeQualityReport(snapshot.dir, report);
      ctx.say(cmd, formatQualityTable(report));
      ctx.say(cmd, `Wrote ${path}`);
      ctx.json(cmd, report);
      const failure = qualityError(report);
      if (failure) ctx.fail(failure);
    });
}

function describeSource(s: Snapshot): string {
  const src = s.manifest.source;
  return `${src.dialect} ${src.database}${src.host ? ` on ${src.host}` : ''}`;
}

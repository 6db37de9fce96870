// `leadlift recommendations list|show|approve|reject|rolled-out|reverted|export`: the store of
// proposals and who decided what, when and why. Approved changes export as change requests.

import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/schema.js';
import { LeadliftError } from '../../errors.js';
import {
  changeRequest,
  findEntry,
  type RecStatus,
  readStore,
  STATUSES,
  setStatus,
  storePathOf,
  writeChangeRequest,
} from '../../recommend/index.js';
import type { CommandContext } from '../context.js';

interface DecideFlags {
  by?: string;
  note?: string;
}

function changeRequestDir(config: Config, cwd: string): string {
  return join(dirname(resolve(cwd, config.recommendationsStore)), 'change-requests');
}

export function registerRecommendations(program: Command, ctx: CommandContext): void {
  const group = program
    .command('recommendations')
    .summary('list, show, approve, reject and export recommendations (the approval store)')
    .description(
      'The store (config recommendationsStore, env LEADLIFT_RECOMMENDATIONS_STORE, default ' +
        'tmp/recommendations/store.json) holds every proposal of `leadlift recommend` with its status: ' +
        'proposed → approved | rejected; approved → rolled_out; rolled_out → reverted. Each change records ' +
        'who (--by), when and why (--note). Approving writes a change request (JSON + Markdown) next to the ' +
        'store for the campaign owner to apply; leadlift never changes a campaign.',
    );

  group
    .command('list')
    .description('list stored recommendations in the order they were proposed')
    .option('--status <status>', `only this status (${STATUSES.join(', ')})`)
    .action(async (flags: { status?: string }, cmd: Command) => {
      const config = await ctx.config(cmd);
      const path = storePathOf(config, ctx.io.cwd, ctx.io.env);
      if (flags.status !== undefined && !STATUSES.includes(flags.status as RecStatus)) {
        throw new LeadliftError(
          'recommend.badStatus',
          `--status ${flags.status} is not one of ${STATUSES.join(', ')}.`,
          {},
        );
      }
      const store = await readStore(path);
      const entries = store.entries.filter((e) => flags.status === undefined || e.status === flags.status);
      ctx.say(
        cmd,
        entries.length === 0
          ? `No recommendations in ${path}${flags.status ? ` with status ${flags.status}` : ''}.`
          : entries
              .map(
                (e) =>
                  `${e.id}  ${e.status.padEnd(10)}  run ${e.run_name}  +${e.recommendation.impact.extra_per_month.point.toFixed(1)}/month  ${e.change}`,
              )
              .join('\n'),
      );
      ctx.json(cmd, { store: path, entries: entries.map(({ recommendation: _r, ...rest }) => rest) });
    });

  group
    .command('show')
    .description('show one recommendation with its evidence, plan and history')
    .argument('<id>', 'recommendation id (rec-…)')
    .action(async (id: string, _flags: unknown, cmd: Command) => {
      const config = await ctx.config(cmd);
      const path = storePathOf(config, ctx.io.cwd, ctx.io.env);
      const store = await readStore(path);

      const e = findEntry(store, id, path);
      const r = e.recommendation;
      ctx.say(
        cmd,
        [
          `${e.id} (${e.kind}) — ${e.status}`,
          `change: ${e.change}`,
          `evidence: ${r.worse.label} ${(r.worse.rate.point * 100).toFixed(1)}% (n ${r.worse.n}) vs ${r.better.label} ${(r.better.rate.point * 100).toFixed(1)}% (n ${r.better.n}); adjusted +${(r.evidence.effect.point * 100).toFixed(1)} points (95% CI ${(r.evidence.effect.lower * 100).toFixed(1)} to ${(r.evidence.effect.upper * 100).toFixed(1)}), q ${r.evidence.q_value.toExponential(2)}`,
          ...r.edits.map((x) => `edit: ${x.edit}`),
          `impact: +${r.impact.extra_per_month.point.toFixed(1)} ${r.impact.metric} (${r.impact.extra_per_month.lower.toFixed(1)}–${r.impact.extra_per_month.upper.toFixed(1)})`,
          `experiment: ${r.plan.sample_size.per_arm} per arm, ~${r.plan.duration.days_total ?? '?'} days`,
          'history:',
          ...e.history.map((h) => `  ${h.at} ${h.status} by ${h.by}${h.note ? ` — ${h.note}` : ''}`),
        ].join('\n'),
      );
      ctx.json(cmd, e);
    });

  const decide = (name: string, status: RecStatus, what: string) =>
    group
      .command(name)
      .description(what)
      .argument('<id>', 'recommendation id (rec-…)')
      .requiredOption('--by <name>', 'who decides (recorded in the store)')
      .option('--note <text>', 'why (recorded in the store)')
      .action(async (id: string, flags: DecideFlags, cmd: Command) => {
        const config = await ctx.config(cmd);
        const path = storePathOf(config, ctx.io.cwd, ctx.io.env);
        const e = await setStatus(path, id, status, flags.by ?? '', flags.note ?? null);
        ctx.say(cmd, `${e.id} is now ${e.status} (by ${flags.by}).`);
        let written: { json: string; markdown: string } | null = null;
        if (status === 'approved') {
          written = await writeChangeRequest(changeRequestDir(config, ctx.io.cwd), e);
          ctx.say(cmd, `Change request: ${written.json}\nChange request: ${written.markdown}`);
        }
        ctx.json(cmd, { id: e.id, status: e.status, history: e.history, change_request: written });
      });
  decide('approve', 'approved', 'approve a proposed recommendation and export its change request');
  decide('reject', 'rejected', 'reject a proposed (or approved) recommendation');
  decide('rolled-out', 'rolled_out', 'record that the campaign owner applied an approved change');
  decide('reverted', 'reverted', 'record that a rolled-out change was reverted');

  group
    .command('export')
    .description('write the change request (JSON + Markdown) of an approved recommendation')
    .argument('<id>', 'recommendation id (rec-…)')
    .option('--out <dir>', 'folder (default: change-requests/ next to the store)')
    .action(async (id: string, flags: { out?: string }, cmd: Command) => {
      const config = await ctx.config(cmd);
      const path = storePathOf(config, ctx.io.cwd, ctx.io.env);

      const e = findEntry(await readStore(path), id, path);
      changeRequest(e);
      const dir = flags.out ? resolve(ctx.io.cwd, flags.out) : changeRequestDir(config, ctx.io.cwd);
      const written = await writeChangeRequest(dir, e);
      ctx.say(cmd, `Wrote ${written.json}\nWrote ${written.markdown}`);
      ctx.json(cmd, written);
    });
}

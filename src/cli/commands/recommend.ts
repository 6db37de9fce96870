// `leadlift recommend <run>`: a trained run + its cleaned tables → ranked, evidence-backed
// recommendations (recommendations.json / .md in the run folder) and proposals in the store.

import type { Command } from 'commander';
import { recommendationLine, runRecommend } from '../../recommend/index.js';
import type { CommandContext } from '../context.js';

interface RecommendFlags {
  cleaned?: string;
  out?: string;
}

export function registerRecommend(program: Command, ctx: CommandContext): void {
  program
    .command('recommend')
    .summary('recommend prompt and campaign-step changes from a trained run, with experiment plans')
    .description(
      'Reads the run folder (predictions.csv) and the cleaned tables it was trained on; opens no database. ' +
        'Compares A/B variants within a step and sibling campaigns (same steps in another order, or other waits) ' +
        'on calls booked within 7 days, adjusted for lead mix by a cross-fitted lead-only model; flags only what ' +
        'clears the bar (Benjamini–Hochberg q ≤ 0.05, P ≥ 0.95, ≥ 200 enrollments and ≥ 10 bookings per arm). ' +
        'Writes recommendations.json and recommendations.md and adds the proposals to the store; nothing is ' +
        'changed in any campaign (see `leadlift recommendations`). docs/recommend.md describes the methods.',
    )
    .argument('<run>', 'run folder, or a run name under runsDir')
    .option(
      '--cleaned <dir>',
      "cleaned folder the run was trained on (default: from the run's manifest, else <cleanedDir>/<run name>)",
    )
    .option('--out <dir>', 'folder for recommendations.json and recommendations.md (default: the run folder)')
    .action(async (run: string, flags: RecommendFlags, cmd: Command) => {
      const config = await ctx.config(cmd);
      const r = await runRecommend({
        config,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        runDir: run,
        cleanedDir: flags.cleaned,
        outDir: flags.out,
        progress: ctx.progress(cmd),
      });
      const recs = r.analysis.recommendations;
      ctx.say(
        cmd,
        recs.length === 0
          ? 'No recommendation cleared the evidence bar.'
          : `${recs.length} recommendation(s), by expected extra ${r.analysis.target === 'booked_call_within_7d' ? 'bookings' : r.analysis.target} per month:\n${recs.map(recommendationLine).join('\n')}`,
      );
      const flagged = r.analysis.elements.filter((e) => e.flag.underperforming).length;
      ctx.say(
        cmd,
        `${r.analysis.comparisons.length} comparisons tested; ${flagged} element(s) below expected.`,
      );
      ctx.say(cmd, `Wrote ${r.paths.json}\nWrote ${r.paths.markdown}\nStore: ${r.paths.store}`);
      ctx.json(cmd, { ...r.document, paths: r.paths });
    });
}

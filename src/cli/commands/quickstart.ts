// `leadlift quickstart`: the main job end to end on the embedded SQLite demo DB.

import type { Command } from 'commander';
import { formatQualityTable, qualityError } from '../../check/index.js';
import { QUICKSTART_DB, runQuickstart } from '../../pipeline/quickstart.js';
import { recommendationLine } from '../../recommend/index.js';
import { formatRecords } from '../../text-table.js';
import type { CommandContext } from '../context.js';
import { intFlag } from '../format.js';
import { GATE_STATUS } from './train.js';

interface QuickstartFlags {
  db?: string;
  fresh?: boolean;
  enrollments?: string;
  seed?: string;
}

export function registerQuickstart(program: Command, ctx: CommandContext): void {
  program
    .command('quickstart')
    .summary('run the main job end to end on the embedded SQLite demo DB')
    .description(
      `Builds a demo Agent Cory DB (${QUICKSTART_DB}, reused on later runs), then extracts its whole window into a\n` +
        'snapshot, checks it, cleans it, trains and gates the booking model (T1), writes its out-of-sample scores to\n' +
        'dbo_lead_scores in the demo DB, and prints a summary. Everything is written under tmp/. The model gate is\n' +
        'reported, not fatal, here (failed-gate scores are written as forced, demo only); `leadlift train` exits 3 on it.\n' +
        'Exit code 3 when the data-quality gate fails.',
    )
    .option('--db <file>', `demo SQLite file (default ${QUICKSTART_DB})`)
    .option('--fresh', 'rebuild the demo DB even if it exists')
    .option('--enrollments <n>', 'demo size when the DB is built (default 5000)')
    .option('--seed <n>', 'demo seed when the DB is built (default 42)')
    .action(async (flags: QuickstartFlags, cmd: Command) => {
      const config = await ctx.config(cmd);
      const enrollments = intFlag('--enrollments', flags.enrollments, 1, 5_000_000);
      const seed = intFlag('--seed', flags.seed, 0, 4_294_967_295);
      const result = await runQuickstart({
        config,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
        dbFile: flags.db,
        fresh: flags.fresh === true || enrollments !== undefined || seed !== undefined,
        enrollments,
        seed,
        progress: ctx.progress(cmd),
      });
      const { demo, extract, clean } = result;
      const e = extract.manifest.entities;
      ctx.say(cmd, '');
      ctx.say(cmd, 'leadlift quickstart');
      ctx.say(
        cmd,
        `  demo DB      ${demo.file} (${demo.reused ? 'reused' : 'built'}; seed ${demo.truth.seed}, ${demo.truth.options.enrollments.toLocaleString('en-US')} enrollments, ${demo.truth.effects.length} planted effects in ${demo.truthPath})`,
      );
      ctx.say(cmd, `  snapshot     ${extract.dir}`);
      ctx.say(
        cmd,
        `               ${e.enrollments.rows.toLocaleString('en-US')} enrollments, ${e.activities.rows.toLocaleString('en-US')} activities, ${e.messages.rows.toLocaleString('en-US')} messages, ${e.outcomes.rows.toLocaleString('en-US')} outcomes; PII hashed or masked`,
      );
      const errors = extract.quality.findings.filter((f) => f.severity === 'error').length;
      const warnings = extract.quality.findings.filter((f) => f.severity === 'warn').length;
      ctx.say(
        cmd,
        `  quality      ${extract.quality.ok ? 'passed' : 'FAILED'}: ${errors} errors, ${warnings} warnings`,
      );
      if (!extract.quality.ok) {
        ctx.say(cmd, '');
        ctx.say(cmd, formatQualityTable(extract.quality));
      }
      if (clean) {
        const rowsIn = Object.values(clean.report.entities).reduce((s, x) => s + x.rows_in, 0);
        const rowsOut = Object.values(clean.report.entities).reduce((s, x) => s + x.rows_out, 0);
        ctx.say(cmd, `  cleaned      ${clean.dir}`);
        ctx.say(
          cmd,
          `               ${rowsIn.toLocaleString('en-US')} rows in, ${rowsOut.toLocaleString('en-US')} out; top rules:`,
        );
        const top = [...clean.report.rules]
          .filter((r) => r.count > 0)
          .sort((a, b) => b.count - a.count)
          .slice(0, 6)
          .map((r) => ({
            rule: r.rule,
            entity: r.entity,
            column: r.column ?? '-',
            count: r.count.toLocaleString('en-US'),
          }));
        ctx.say(cmd, indent(formatRecords(top), 15));
      }
      for (const { target, run } of result.train?.runs ?? []) {
        const r = run.result;
        const sel = r.evaluation.selected.pr_auc;
        const base = r.evaluation.baseline.pr_auc;
        const iv = (m: typeof sel) =>
          m.point === null
            ? 'n/a'
            : `${m.point.toFixed(3)}${m.lower === null ? '' : ` [${m.lower.toFixed(3)}, ${m.upper!.toFixed(3)}]`}`;
        const top = [...r.importance]
          .sort((a, b) => b.mean_abs_contribution - a.mean_abs_contribution)
          .slice(0, 5)
          .map((f) => f.feature);
        ctx.say(cmd, `  model        ${target}: ${r.selection.selected} selected; run ${run.dir}`);
        // A kept baseline is compared with the simpler scorer it was gated against, not itself.
        const ref = r.gates.reference;
        const refEval =
          ref === 'rules' ? r.evaluation.rules : ref === 'comparator' ? r.evaluation.comparator : null;
        const against =
          ref === 'logreg'
            ? `baseline (logistic regression) ${iv(base)}`
            : refEval
              ? `${ref === 'rules' ? 'rules baseline' : 'campaign comparator'} ${iv(refEval.pr_auc)}`
              : 'the positive rate (no skill)';
        ctx.say(cmd, `               test PR-AUC ${iv(sel)} vs ${against}`);
        ctx.say(
          cmd,
          `               gates ${r.gates.status === 'failed' ? 'FAILED (the model would not go live)' : GATE_STATUS[r.gates.status]} against ${r.gates.reference}: ${r.gates.reason}`,
        );
        ctx.say(cmd, `               top features: ${top.join(', ')}`);
      }
      if (result.predict) {
        const p = result.predict;
        ctx.say(
          cmd,
          `  predict      ${p.nScored.toLocaleString('en-US')} enrollments scored (feature window closed), ${p.nLabeled.toLocaleString('en-US')} with a realized label; run ${p.dir}`,
        );
      }
      if (result.scores) {
        const sc = result.scores;
        ctx.say(
          cmd,
          `  scores       ${sc.selected.toLocaleString('en-US')} scores of run ${sc.run} in ${sc.table} of the demo DB (${sc.inserted} inserted, ${sc.updated} updated)`,
        );
        if (sc.forced)
          ctx.say(
            cmd,
            '               written although the gates failed (demo only; recorded as forced in the history)',
          );
        ctx.say(cmd, '               query them: see "Query the scores" in README.md');
      }
      if (result.recommend) {
        const recs = result.recommend.analysis.recommendations;
        ctx.say(
          cmd,
          `  recommend    ${recs.length} recommendation(s), ranked by expected extra bookings per month; ${result.recommend.paths.markdown}`,
        );
        for (const r of recs.slice(0, 3)) ctx.say(cmd, `               ${recommendationLine(r)}`);
        if (recs.length === 0)
          ctx.say(
            cmd,
            '               none cleared the evidence bar on this demo (see the report for every comparison)',
          );
        ctx.say(
          cmd,
          '               approve or reject: leadlift recommendations list | approve <id> --by NAME',
        );
      }
      ctx.say(cmd, '');
      ctx.json(cmd, {
        ok: extract.quality.ok,
        demo: { file: demo.file, truth: demo.truthPath, reused: demo.reused },
        snapshot: extract.dir,
        quality: extract.quality,
        cleaned: clean ? { dir: clean.dir, entities: clean.report.entities } : null,
        runs: (result.train?.runs ?? []).map(({ target, run }) => ({
          target,
          dir: run.dir,
          selected: run.result.selection.selected,
          test: run.result.evaluation.selected.pr_auc,
          baseline: run.result.evaluation.baseline.pr_auc,
          gates: run.result.gates,
        })),
        predict: result.predict
          ? { dir: result.predict.dir, scored: result.predict.nScored, labeled: result.predict.nLabeled }
          : null,
        scores: result.scores ?? null,
        recommendations: result.recommend
          ? {
              markdown: result.recommend.paths.markdown,
              json: result.recommend.paths.json,
              top: result.recommend.analysis.recommendations.slice(0, 3),
            }
          : null,
      });
      const failure = qualityError(extract.quality);
      if (failure) ctx.fail(failure);
    });
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

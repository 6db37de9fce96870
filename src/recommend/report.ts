// recommendations.md: the readable side of recommendations.json — the ranked
// recommendations with evidence, edits, impact and plan, then the flagged elements, every
// comparison tested, and the paths of each campaign.

import type { Analysis, Recommendation } from './analyze.js';

const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const pts = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} points` : '—');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
/** The unit of a target's impact, for one line. */
const unitOf = (t: string): string =>
  t === 'qualified_within_14d'
    ? 'qualified leads'
    : t === 'conversion_within_30d'
      ? 'conversions'
      : 'bookings';

/** One line per recommendation: rank, id, change, impact. */
export function recommendationLine(r: Recommendation): string {
  const i = r.impact.extra_per_month;
  return `${r.rank}. [${r.id}] ${r.change} — +${f1(i.point)} ${unitOf(r.evidence.metric)}/month (${f1(i.lower)}–${f1(i.upper)}), P(real) ${f2(r.impact.probability_real)}`;
}

export function recommendationsMarkdown(doc: Record<string, unknown>, a: Analysis): string {
  const out: string[] = [];
  out.push(`# Recommendations — run ${String(doc.run_name)}`, '');
  out.push(
    `${String(doc.enrollments)} enrollments from cleaned snapshot ${String(doc.cleaned_snapshot)} (as of ${String(doc.as_of_utc)}), ${f1(a.months)} months. Metric: ${String(a.target)} (counted from the first touch). Expected rates come from a cross-fitted lead-only model (contact facts and first-touch timing), not from the run's scores. Nothing here changes a campaign: each recommendation waits for a named person's approval (\`leadlift recommendations approve <id> --by NAME\`).`,
    '',
  );
  if (a.recommendations.length === 0) {
    out.push(
      'No comparison cleared the bar (BH q ≤ 0.05, P ≥ 0.95, ≥ 200 enrollments and ≥ 10 bookings per arm).',
      '',
    );
  }
  for (const r of a.recommendations) {
    out.push(`## ${r.rank}. ${r.title}`, '');
    out.push(`- id: \`${r.id}\` (${r.kind}, status ${r.status})`);
    out.push(`- change: ${r.change}`);
    out.push(
      `- evidence: ${r.worse.label} ${pct(r.worse.rate.point)} (${r.worse.booked}/${r.worse.n}, expected ${pct(r.worse.expected)}) vs ${r.better.label} ${pct(r.better.rate.point)} (${r.better.booked}/${r.better.n}, expected ${pct(r.better.expected)}); adjusted effect +${pts(r.evidence.effect.point)} (95% CI ${pts(r.evidence.effect.lower)} to ${pts(r.evidence.effect.upper)}), p = ${r.evidence.p_value.toExponential(2)}, BH q = ${r.evidence.q_value.toExponential(2)}`,
    );
    if (r.evidence.messages_worse !== null)
      out.push(`- messages compared: ${r.evidence.messages_worse} vs ${r.evidence.messages_better}`);
    for (const e of r.edits) out.push(`- edit (${e.feature}): ${e.edit} [${f1(e.worse)} vs ${f1(e.better)}]`);
    out.push(
      `- impact: +${f1(r.impact.extra_per_month.point)} ${unitOf(a.target)}/month (${f1(r.impact.extra_per_month.lower)}–${f1(r.impact.extra_per_month.upper)}) = ${f1(r.impact.affected_per_month)} enrollments/month × ${pts(r.evidence.effect.point)} × P(real) ${f2(r.impact.probability_real)}`,
    );
    const p = r.plan;
    out.push(
      `- experiment: ${p.hypothesis} Primary metric ${p.primary_metric.name} (${p.primary_metric.window_days} days); MDE +${pts(p.mde.absolute)} from ${pct(p.primary_metric.baseline_rate)}; ${p.sample_size.per_arm} per arm (α ${p.sample_size.alpha}, power ${p.sample_size.power}); ~${p.duration.days_total ?? '—'} days at ${f1(p.duration.enrollments_per_day)} enrollments/day; rollout ${p.rollout.map((s) => `${Math.round(s.treatment_share * 100)}%`).join(' → ')}; guardrails ${p.guardrails.map((g) => g.metric).join(', ')}.`,
    );
    if (p.control.text) out.push('', '  Control:', '', '  ```', `  ${p.control.text}`, '  ```');
    if (p.treatment.text) out.push('', '  Treatment:', '', '  ```', `  ${p.treatment.text}`, '  ```');
    out.push('');
  }
  const flagged = a.elements.filter((e) => e.flag.underperforming);
  out.push('## Decision points (branches judged at the decision)', '');
  if (a.decisions.length === 0) out.push('No decision point with leads on both branches.', '');
  else {
    out.push(
      '| campaign | step | condition | worse branch | better branch | gap (95% CI) | p | supported |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const x of a.decisions) {
      out.push(
        `| ${x.campaign_name} (${x.campaign_id}) | ${x.order_id} | ${x.condition ?? ''} | ${x.worse_branch} | ${x.better_branch} | +${pts(x.gap.point)} (${pts(x.gap.lower)} to ${pts(x.gap.upper)}) | ${x.p_value.toExponential(1)} | ${x.supported ? `yes: test it (${x.plan?.sample_size.per_arm} per arm)` : 'no'} |`,
      );
    }
    out.push(
      '',
      "Branches are chosen by the lead's behaviour; a supported gap is a reason to run the experiment in `decisions[].plan`, not a change by itself.",
      '',
    );
  }
  out.push('## Steps to test skipping (flagged below expected at their touch)', '');
  if (a.step_removals.length === 0) out.push('No later step is flagged below expected.', '');
  else {
    out.push(
      '| campaign | step | O/E (95% CI) | q | leads replying negatively: step vs other steps | leads opting out: step vs other steps | reply-mix q | supported |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const x of a.step_removals) {
      out.push(
        `| ${x.campaign_name} (${x.campaign_id}) | ${x.order_id} ${x.channel} "${x.label}" | ${f2(x.observed_expected.point)} (${f2(x.observed_expected.lower)}–${f2(x.observed_expected.upper)}) | ${x.q_value.toExponential(1)} | ${pct(x.negative_replies.step.rate.point)} vs ${pct(x.negative_replies.other_steps.rate.point)} (p ${x.negative_replies.p_value.toExponential(1)}) | ${pct(x.opt_outs.step.rate.point)} vs ${pct(x.opt_outs.other_steps.rate.point)} (p ${x.opt_outs.p_value.toExponential(1)}) | ${x.reply_q_value.toExponential(1)} | ${x.supported ? `yes: test skipping it (${x.plan?.sample_size.per_arm} per arm)` : 'no'} |`,
      );
    }
    out.push(
      '',
      "Shares are of the leads who replied (to the step; to any other step of the campaign, each lead once). A step is supported when it is flagged below expected and the share of its repliers who replied negatively or opted out exceeds the other steps' (2 × the smaller one-sided p, Benjamini–Hochberg over the findings, q ≤ 0.05); the experiment in `step_removals[].plan` skips it for a random half. Not a change by itself.",
      '',
    );
  }
  out.push('## Underperforming elements (observed below expected)', '');
  if (flagged.length === 0) out.push('None clears the bar.', '');
  else {
    out.push(
      '| level | campaign | step | variant | n | booked | expected | O/E (95% CI) | q |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const e of flagged) {
      out.push(
        `| ${e.level} | ${e.campaign_name} (${e.campaign_id}) | ${e.step_id ?? e.channel ?? ''} | ${e.variant_key ?? ''} | ${e.booked_7d.n} | ${pct(e.booked_7d.rate.point)} | ${pct(e.expected_booked_7d)} | ${f2(e.observed_expected.point)} (${f2(e.observed_expected.lower)}–${f2(e.observed_expected.upper)}) | ${e.flag.q_value.toExponential(1)} |`,
      );
    }
    out.push('');
  }
  out.push('## Comparisons tested', '');
  out.push(
    '| kind | worse | better | n worse / better | effect (95% CI) | q | flagged |',
    '|---|---|---|---|---|---|---|',
  );
  for (const c of a.comparisons) {
    out.push(
      `| ${c.kind} | ${c.worse.label} | ${c.better.label} | ${c.worse.n} / ${c.better.n} | +${pts(c.effect.point)} (${pts(c.effect.lower)} to ${pts(c.effect.upper)}) | ${c.q_value.toExponential(1)} | ${c.flagged ? 'yes' : 'no'} |`,
    );
  }
  out.push(
    '',
    "## Paths (descriptive: branches are chosen by the lead's own behaviour, so they are not compared as causes)",
    '',
  );
  for (const p of a.paths) {
    out.push(
      `### ${p.name} (${p.campaign_id}): ${p.channel_order.join(' → ')}, ${p.enrollments} enrollments`,
      '',
    );
    out.push(
      '| step | channel | wait | reached | drop-off after | booked 7d | decision |',
      '|---|---|---|---|---|---|---|',
    );
    for (const s of p.steps) {
      const dec = s.decision
        ? `${s.decision.condition}: true → ${s.decision.if_true.step_id} (${s.decision.if_true.n}, ${pct(s.decision.if_true.booked_7d.rate.point)}, O/E ${f2(s.decision.if_true.observed_expected)}); false → ${s.decision.if_false.step_id} (${s.decision.if_false.n}, ${pct(s.decision.if_false.booked_7d.rate.point)}, O/E ${f2(s.decision.if_false.observed_expected)})`
        : '';
      out.push(
        `| ${s.order_id} ${s.label} | ${s.channel} | ${s.wait_before_ms === null ? '—' : `${Math.round(s.wait_before_ms / 3_600_000)} h`} | ${s.reached} | ${pct(s.drop_off.rate.point)} | ${pct(s.booked_7d.rate.point)} | ${dec} |`,
      );
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

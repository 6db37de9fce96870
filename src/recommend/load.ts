// What the recommend stage reads from a cleaned folder: the campaign design (campaigns,
// steps, variants with their prompt text), every enrollment's path through its campaign
// (the steps and variants it was touched by, in time order), the replies it drew (lexicon
// intent) and its labels from the label + features stage. Nothing here opens a database.

import type { CleanTables } from '../clean/index.js';
import {
  INTENTS,
  type Intent,
  replyIntent,
  TARGET_DEFS,
  TARGETS,
  type TrainingSet,
} from '../features/index.js';
import type { EntityName } from '../schema/entities.js';
import { openRows, type RowValues } from '../snapshot/rows.js';

/** A step of a campaign as the cleaned tables describe it. */
export interface RecStep {
  readonly stepId: string;
  readonly orgId: string;
  readonly campaignId: string;
  readonly orderId: number;
  readonly channel: string;
  readonly waitBeforeMs: number | null;
  readonly label: string;
  readonly promptText: string | null;
  readonly isDecisionPoint: boolean;
  readonly branchCondition: string | null;
  readonly nextIfTrue: string | null;
  readonly nextIfFalse: string | null;
}

/** An A/B variant of a step. */
export interface RecVariant {
  readonly variantId: string;
  readonly orgId: string;
  readonly stepId: string;
  readonly key: string;
  readonly isControl: boolean;
  readonly weight: number | null;
  readonly promptText: string | null;
}

export interface RecCampaign {
  readonly campaignId: string;
  readonly orgId: string;
  readonly name: string;
  /** Steps by order_id. */
  readonly steps: RecStep[];
}

/** One touch of an enrollment: the first ran activity of a step. */
export interface Touch {
  readonly step: number;
  readonly variant: number;
  readonly ts: number;
}

/** One inbound reply, credited to the enrollment and to the last step touched before it. */
export interface Reply {
  readonly ts: number;
  readonly intent: Intent;
  /** Index into RecData.steps of the step last touched before the reply; -1 when none. */
  readonly step: number;
}

/** Outcome of a target for a row: 1/0, or -1 when its window has not elapsed. */
export type WindowedLabel = 1 | 0 | -1;

/** Everything the analyses read. Rows are the training set's rows (enrollments with an outbound touch). */
export interface RecData {
  readonly campaigns: ReadonlyMap<string, RecCampaign>;
  readonly steps: readonly RecStep[];
  readonly stepIndex: ReadonlyMap<string, number>;
  readonly variants: readonly RecVariant[];
  readonly variantIndex: ReadonlyMap<string, number>;
  readonly nRows: number;
  readonly orgId: readonly string[];
  readonly enrollmentId: readonly string[];
  readonly campaignId: readonly string[];
  readonly decisionTs: Float64Array;
  /** Per target (TARGETS order): windowed labels. */
  readonly labels: Readonly<Record<(typeof TARGETS)[number], Int8Array>>;
  readonly touches: readonly (readonly Touch[])[];
  readonly replies: readonly (readonly Reply[])[];
  /** Up to {@link TEXT_SAMPLE} generated message texts per variant index and per step index (first by time of load). */
  readonly variantTexts: readonly string[][];
  readonly stepTexts: readonly string[][];
  readonly asOf: number;
}

/** Generated messages kept per variant and per step for the content contrast. */
export const TEXT_SAMPLE = 400;

const key = (org: string, id: string) => `${org}\u0000${id}`;

async function rowsOf(
  tables: CleanTables,
  entity: EntityName,
  onRow: (get: (name: string) => unknown, row: RowValues) => void,
): Promise<void> {
  const reader = await openRows(tables.path(entity));
  const idx = new Map(reader.columns.map((c, i) => [c, i] as const));
  let row: RowValues = [];
  const get = (name: string) => {
    const i = idx.get(name);
    return i === undefined ? null : row[i];
  };
  for await (const batch of reader.batches()) {
    for (const r of batch) {
      row = r;
      onRow(get, r);
    }
  }
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const time = (v: unknown): number => (typeof v === 'string' ? Date.parse(v) : Number.NaN);

/** Reads the campaign design and every row's path and replies. */
export async function loadRecData(tables: CleanTables, set: TrainingSet): Promise<RecData> {
  const campaigns = new Map<string, RecCampaign>();
  await rowsOf(tables, 'campaigns', (g) => {
    const org = str(g('org_id'))!;
    const id = str(g('campaign_id'))!;
    campaigns.set(key(org, id), { campaignId: id, orgId: org, name: str(g('name')) ?? id, steps: [] });
  });
  const steps: RecStep[] = [];
  await rowsOf(tables, 'campaign_steps', (g) => {
    steps.push({
      stepId: str(g('step_id'))!,
      orgId: str(g('org_id'))!,
      campaignId: str(g('campaign_id'))!,
      orderId: num(g('order_id')) ?? 0,
      channel: str(g('channel')) ?? 'unknown',
      waitBeforeMs: num(g('wait_before_ms')),
      label: str(g('label')) ?? '',
      promptText: str(g('prompt_text')),
      isDecisionPoint: g('is_decision_point') === true,
      branchCondition: str(g('branch_condition')),
      nextIfTrue: str(g('next_step_id_if_true')),
      nextIfFalse: str(g('next_step_id_if_false')),
    });
  });
  steps.sort(
    (a, b) =>
      cmp(a.orgId, b.orgId) ||
      cmp(a.campaignId, b.campaignId) ||
      a.orderId - b.orderId ||
      cmp(a.stepId, b.stepId),
  );
  const stepIndex = new Map(steps.map((s, i) => [key(s.orgId, s.stepId), i] as const));
  for (const s of steps) {
    let c = campaigns.get(key(s.orgId, s.campaignId));
    if (!c) {
      c = { campaignId: s.campaignId, orgId: s.orgId, name: s.campaignId, steps: [] };
      campaigns.set(key(s.orgId, s.campaignId), c);
    }
    c.steps.push(s);
  }
  const variants: RecVariant[] = [];
  await rowsOf(tables, 'step_variants', (g) => {
    variants.push({
      variantId: str(g('variant_id'))!,
      orgId: str(g('org_id'))!,
      stepId: str(g('step_id'))!,
      key: (str(g('variant_key')) ?? '').toUpperCase(),
      isControl: g('is_control') === true,
      weight: num(g('allocation_weight')),
      promptText: str(g('prompt_text')),
    });
  });
  variants.sort((a, b) => cmp(a.orgId, b.orgId) || cmp(a.variantId, b.variantId));
  const variantIndex = new Map(variants.map((v, i) => [key(v.orgId, v.variantId), i] as const));

  const n = set.nRows;
  const rowOf = new Map<string, number>();
  for (let r = 0; r < n; r++) rowOf.set(key(set.keys.orgId[r]!, set.keys.enrollmentId[r]!), r);

  // Touches: the first ran activity of each step, in time order.
  const touches: Touch[][] = Array.from({ length: n }, () => []);
  const variantTexts: string[][] = variants.map(() => []);
  const stepTexts: string[][] = steps.map(() => []);
  await rowsOf(tables, 'activities', (g) => {
    const org = str(g('org_id'))!;
    const r = rowOf.get(key(org, str(g('enrollment_id'))!));
    if (r === undefined) return;
    if (g('status') === 'planned') return;
    const ts = [g('sent_at'), g('call_started_at'), g('completed_at')]
      .map(time)
      .find((t) => !Number.isNaN(t));
    if (ts === undefined) return;
    const sid = str(g('step_id'));
    const s = sid === null ? undefined : stepIndex.get(key(org, sid));
    if (s === undefined) return;
    const vid = str(g('variant_id'));
    const v = vid === null ? -1 : (variantIndex.get(key(org, vid)) ?? -1);
    const list = touches[r]!;
    const prior = list.findIndex((t) => t.step === s);
    if (prior < 0) list.push({ step: s, variant: v, ts });
    else if (ts < list[prior]!.ts) list[prior] = { step: s, variant: v, ts };
    const text = str(g('generated_message'));
    if (text !== null && text.length > 0) {
      if (v >= 0 && variantTexts[v]!.length < TEXT_SAMPLE) variantTexts[v]!.push(text);
      if (stepTexts[s]!.length < TEXT_SAMPLE) stepTexts[s]!.push(text);
    }
  });
  for (const list of touches) list.sort((a, b) => a.ts - b.ts || a.step - b.step);

  // Replies: inbound messages credited to the contact's latest enrollment created at or
  // before the message (the label + features stage's rule).
  const byContact = new Map<string, { created: number; row: number }[]>();
  await rowsOf(tables, 'enrollments', (g) => {
    const org = str(g('org_id'))!;
    const r = rowOf.get(key(org, str(g('enrollment_id'))!));
    if (r === undefined) return;
    const ck = key(org, str(g('contact_id'))!);
    const list = byContact.get(ck) ?? [];
    list.push({ created: time(g('created_at')), row: r });
    byContact.set(ck, list);
  });
  for (const list of byContact.values()) list.sort((a, b) => a.created - b.created || a.row - b.row);
  const replies: Reply[][] = Array.from({ length: n }, () => []);
  await rowsOf(tables, 'messages', (g) => {
    if (g('direction') !== 'inbound') return;
    const org = str(g('org_id'))!;
    const list = byContact.get(key(org, str(g('contact_id'))!));
    if (!list) return;
    let ts = time(g('message_ts'));
    if (Number.isNaN(ts)) ts = time(g('created_at'));
    if (Number.isNaN(ts)) return;
    let r = -1;
    for (const e of list) if (e.created <= ts) r = e.row;
    if (r < 0) return;
    const text = `${str(g('subject')) ?? ''} ${str(g('body')) ?? ''}`.trim();
    let step = -1;
    for (const t of touches[r]!) if (t.ts <= ts) step = t.step;
    replies[r]!.push({ ts, intent: replyIntent(text), step });
  });
  for (const list of replies) list.sort((a, b) => a.ts - b.ts);

  const labels = {} as Record<(typeof TARGETS)[number], Int8Array>;
  for (const t of TARGETS) {
    const l = new Int8Array(n).fill(-1);
    const y = set.labels[t]?.y;
    if (y) {
      const horizon = TARGET_DEFS[t].days * 86_400_000;
      for (let r = 0; r < n; r++) if (set.decisionTs[r]! + horizon <= set.asOf) l[r] = y[r]! as 0 | 1;
    }
    labels[t] = l;
  }

  return {
    campaigns,
    steps,
    stepIndex,
    variants,
    variantIndex,
    nRows: n,
    orgId: set.keys.orgId,
    enrollmentId: set.keys.enrollmentId,
    campaignId: set.keys.campaignId,
    decisionTs: set.decisionTs,
    labels,
    touches,
    replies,
    variantTexts,
    stepTexts,
    asOf: set.asOf,
  };
}

/** Intents counted as positive and negative replies. */
export const POSITIVE_INTENTS: ReadonlySet<Intent> = new Set(['positive', 'scheduling']);
export const NEGATIVE_INTENTS: ReadonlySet<Intent> = new Set([
  'opt_out',
  'wrong_person',
  'not_now',
  'objection',
]);
export { INTENTS };

function cmp(a: string, b: string): number {
  // Numeric ids sort as numbers, others as text.
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The campaign key used in maps. */
export const campaignKey = key;

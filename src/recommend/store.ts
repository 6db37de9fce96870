// The recommendations store: one JSON file (config `recommendationsStore`, default
// tmp/recommendations/store.json) with every proposal, its status and who changed it,
// when and why. Written atomically (temporary name + rename). Approved recommendations
// export as change requests (JSON + Markdown) for the campaign owner to apply: leadlift
// never changes a campaign itself.

import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { LeadliftError } from '../errors.js';
import type { Recommendation, RecStatus } from './analyze.js';

export const STORE_FORMAT = 'leadlift.recommendations-store/1';
export const CHANGE_REQUEST_FORMAT = 'leadlift.change-request/1';

export const STATUSES: readonly RecStatus[] = ['proposed', 'approved', 'rejected', 'rolled_out', 'reverted'];

/** Allowed moves: status → statuses it may become. */
export const TRANSITIONS: Readonly<Record<RecStatus, readonly RecStatus[]>> = {
  proposed: ['approved', 'rejected'],
  approved: ['rolled_out', 'rejected'],
  rejected: [],
  rolled_out: ['reverted'],
  reverted: [],
};

export interface StoreEvent {
  readonly status: RecStatus;
  readonly by: string;
  readonly at: string;
  readonly note: string | null;
}

export interface StoreEntry {
  readonly id: string;
  readonly run_name: string;
  readonly run_dir: string;
  readonly kind: string;
  readonly title: string;
  readonly change: string;
  readonly status: RecStatus;
  readonly created_at: string;
  readonly history: readonly StoreEvent[];
  readonly recommendation: Recommendation;
}

export interface Store {
  readonly format: string;
  readonly entries: StoreEntry[];
}

/** The store's path: `config.recommendationsStore` relative to cwd. */
export function storePathOf(
  config: Config,
  cwd: string,
  _env: Readonly<Record<string, string | undefined>>,
): string {
  return resolve(cwd, config.recommendationsStore);
}

/** Reads the store; an absent file is an empty store. */
export async function readStore(path: string): Promise<Store> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { format: STORE_FORMAT, entries: [] };
  }
  try {
    const s = JSON.parse(text) as Store;
    if (s.format !== STORE_FORMAT || !Array.isArray(s.entries)) throw new Error('format');
    return s;
  } catch {
    throw new LeadliftError(
      'recommend.storeCorrupt',
      `The recommendations store ${path} is not a ${STORE_FORMAT} file. Move it aside; \`leadlift recommend <run>\` writes a new one.`,
      { details: { path } },
    );
  }
}

async function writeStore(path: string, store: Store): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(
      tmp,
      `${JSON.stringify(store, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
    );
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Adds a run's recommendations as proposals. An id already in the store (the same run
 * analysed again) keeps its status and history; its evidence is refreshed only while proposed.
 */
export async function addProposals(
  path: string,
  runName: string,
  runDir: string,
  recs: readonly Recommendation[],
  now: Date = new Date(),
): Promise<Store> {
  const store = await readStore(path);
  for (const rec of recs) {
    const i = store.entries.findIndex((e) => e.id === rec.id);
    const entry: StoreEntry = {
      id: rec.id,
      run_name: runName,
      run_dir: runDir,
      kind: rec.kind,
      title: rec.title,
      change: rec.change,
      status: 'proposed',
      created_at: now.toISOString(),
      history: [{ status: 'proposed', by: 'leadlift', at: now.toISOString(), note: null }],
      recommendation: rec,
    };
    if (i < 0) store.entries.push(entry);
    else if (store.entries[i]!.status === 'proposed') {
      store.entries[i] = { ...store.entries[i]!, title: rec.title, change: rec.change, recommendation: rec };
    }
  }
  await writeStore(path, store);
  return store;
}

/** One entry; `recommend.unknownId` (exit 2) when absent, naming close ids. */
export function findEntry(store: Store, id: string, path: string): StoreEntry {
  const e = store.entries.find((x) => x.id === id);
  if (e) return e;
  const close = store.entries.filter((x) => x.id.startsWith(id.slice(0, 6))).map((x) => x.id);
  throw new LeadliftError(
    'recommend.unknownId',
    `No recommendation "${id}" in ${path} (${store.entries.length} stored${close.length > 0 ? `; close: ${close.slice(0, 5).join(', ')}` : ''}). \`leadlift recommendations list\` shows the ids.`,
    { details: { id } },
  );
}

/**
 * Moves a recommendation to `status`, recording who, when and why. Throws
 * `recommend.badTransition` (exit 2) when the move is not allowed (approving twice, …)
 * and `recommend.noApprover` when `by` is blank.
 */
export async function setStatus(
  path: string,
  id: string,
  status: RecStatus,
  by: string,
  note: string | null,
  now: Date = new Date(),
): Promise<StoreEntry> {
  if (by.trim().length === 0) {
    throw new LeadliftError(
      'recommend.noApprover',
      'Give the name of the person deciding with --by NAME.',
      {},
    );
  }
  const store = await readStore(path);
  const entry = findEntry(store, id, path);
  if (!TRANSITIONS[entry.status].includes(status)) {
    const last = entry.history[entry.history.length - 1];
    throw new LeadliftError(
      'recommend.badTransition',
      `Recommendation ${id} is ${entry.status}${last ? ` (by ${last.by} at ${last.at})` : ''}; it cannot become ${status}. Allowed from ${entry.status}: ${TRANSITIONS[entry.status].join(', ') || 'nothing (final)'}.`,
      { details: { id, from: entry.status, to: status } },
    );
  }
  const updated: StoreEntry = {
    ...entry,
    status,
    history: [...entry.history, { status, by: by.trim(), at: now.toISOString(), note }],
  };
  store.entries[store.entries.indexOf(entry)] = updated;
  await writeStore(path, store);
  return updated;
}

/** The change request of an approved (or rolled-out) recommendation: JSON and Markdown. */
export function changeRequest(entry: StoreEntry): { json: Record<string, unknown>; markdown: string } {
  if (entry.status !== 'approved' && entry.status !== 'rolled_out') {
    throw new LeadliftError(
      'recommend.notApproved',
      `Recommendation ${entry.id} is ${entry.status}: only approved recommendations export as change requests. Approve it first with \`leadlift recommendations approve ${entry.id} --by NAME\`.`,
      { details: { id: entry.id, status: entry.status } },
    );
  }
  const rec = entry.recommendation;
  const approval = [...entry.history].reverse().find((h) => h.status === 'approved');
  const json = {
    format: CHANGE_REQUEST_FORMAT,
    id: entry.id,
    run_name: entry.run_name,
    approved_by: approval?.by ?? null,
    approved_at: approval?.at ?? null,
    note: approval?.note ?? null,
    org_id: rec.org_id,
    campaign_id: rec.campaign_id,
    step_ids: rec.step_ids,
    variant_ids: rec.variant_ids,
    change: rec.change,
    edits: rec.edits.map((e) => e.edit),
    control: rec.plan.control,
    treatment: rec.plan.treatment,
    experiment: rec.plan,
    note_to_owner:
      'leadlift does not change campaigns. Apply this change in the campaign tool as the experiment plan describes (staged rollout), then mark it with `leadlift recommendations rolled-out <id> --by NAME`.',
  };
  const lines = [
    `# Change request ${entry.id}`,
    '',
    `Approved by ${json.approved_by ?? '?'} at ${json.approved_at ?? '?'}${json.note ? ` — "${json.note}"` : ''}.`,
    '',
    `**Change:** ${rec.change}`,
    '',
    `Org ${rec.org_id}, campaign ${rec.campaign_id}${rec.step_ids.length > 0 ? `, steps ${rec.step_ids.join(', ')}` : ''}${rec.variant_ids.length > 0 ? `, variants ${rec.variant_ids.join(', ')}` : ''}.`,
    '',
    '## Control (current)',
    '',
    '```',
    rec.plan.control.text ?? rec.plan.control.description,
    '```',
    '',
    '## Treatment (proposed)',
    '',
    '```',
    rec.plan.treatment.text ?? rec.plan.treatment.description,
    '```',
    ...(rec.edits.length > 0 ? ['', 'Edits to apply:', '', ...rec.edits.map((e) => `- ${e.edit}`)] : []),
    '',
    '## Rollout',
    '',
    ...rec.plan.rollout.map(
      (s) =>
        `${s.stage}. ${Math.round(s.treatment_share * 100)}% of new enrollments until ${s.until}. Stop if ${s.stop_if}.`,
    ),
    '',
    `Analysis rule: ${rec.plan.analysis_rule}`,
    '',
    json.note_to_owner,
    '',
  ];
  return { json, markdown: lines.join('\n') };
}

/** Writes `<dir>/<id>.json` and `<dir>/<id>.md` atomically; returns their paths. */
export async function writeChangeRequest(
  dir: string,
  entry: StoreEntry,
): Promise<{ json: string; markdown: string }> {
  const cr = changeRequest(entry);
  await mkdir(dir, { recursive: true });
  const out = { json: join(dir, `${entry.id}.json`), markdown: join(dir, `${entry.id}.md`) };
  for (const [path, text] of [
    [
      out.json,
      `${JSON.stringify(cr.json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`,
    ],
    [out.markdown, cr.markdown],
  ] as const) {
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, text);
    await rename(tmp, path);
  }
  return out;
}

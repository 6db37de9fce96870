// The recommendations store: one JSON file (config `recommendationsStore`, default
// tmp/recommendations/store.json) with every proposal, its status and who changed it,
// when and why. Each read-modify-write of it holds the lock file `<store>.lock` (O_EXCL
// create), so a `recommend` run and a `recommendations approve` never drop each other's
// change; the file itself is replaced atomically (temporary name + rename). Approved
// recommendations export as change requests (Markdown + JSON) for the campaign owner to
// apply: leadlift never changes a campaign itself.

import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/schema.js';
import { ExitCode, LeadliftError } from '../errors.js';
import { pidAlive } from '../process.js';
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

/** JSON with NaN/±Infinity written as null and numbers kept as they are. */
export function recJson(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/**
 * Replaces `path` with `text` atomically: writes a temporary file next to it, then renames
 * it over `path`. On failure the temporary file is removed and `path` is left as it was.
 */
export async function writeAtomic(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

async function writeStore(path: string, store: Store): Promise<void> {
  await writeAtomic(path, recJson(store));
}

/** What a store lock file holds. */
interface StoreLockHolder {
  readonly pid: number;
  readonly host: string;
  readonly at: string;
  /** Tells this holder apart from a later one with the same pid. */
  readonly token: string;
}

/** Options of {@link withStoreLock}. */
export interface StoreLockOptions {
  /** How long to wait for another holder before `recommend.storeBusy`. Default 10 s. */
  readonly timeoutMs?: number;
  /** Pause between attempts. Default 50 ms. */
  readonly retryMs?: number;
}

async function readLockHolder(path: string): Promise<StoreLockHolder | null> {
  try {
    const h = JSON.parse(await readFile(path, 'utf8')) as StoreLockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.token === 'string' ? h : null;
  } catch {
    return null;
  }
}

/**
 * Whether the lock at `path` is stale: its process is gone (same host), or it is
 * unreadable (a holder that died while writing it) and more than 30 s old.
 */
async function lockIsStale(path: string, holder: StoreLockHolder | null): Promise<boolean> {
  if (holder !== null) return holder.host === hostname() && !pidAlive(holder.pid);
  const st = await stat(path).catch(() => null);
  return st !== null && Date.now() - st.mtimeMs > 30_000;
}

/**
 * Removes the stale lock at `path` held by `stale`. It is first moved aside, so that when
 * another waiter has meanwhile replaced it by a live lock, that lock is put back.
 */
async function removeStaleLock(path: string, stale: StoreLockHolder | null): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return; // gone meanwhile
  }
  const moved = await readLockHolder(aside);
  if (moved !== null && moved.token !== stale?.token) {
    await link(aside, path).catch(() => undefined); // a live lock: put it back
  }
  await rm(aside, { force: true });
}

/**
 * Runs `fn` holding the store's exclusive lock `<path>.lock` (created with O_EXCL, holding
 * pid, host and time). Waits while another process holds it; a lock whose process is no
 * longer running on this host is stale and removed. Throws `recommend.storeBusy` (exit 5)
 * when the lock stays taken for `timeoutMs`. The lock is released when `fn` settles.
 */
export async function withStoreLock<T>(
  path: string,
  fn: () => Promise<T>,
  o: StoreLockOptions = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const timeoutMs = o.timeoutMs ?? 10_000;
  const retryMs = o.retryMs ?? 50;
  await mkdir(dirname(path), { recursive: true });
  const holder: StoreLockHolder = {
    pid: process.pid,
    host: hostname(),
    at: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fh = await open(lockPath, 'wx');
      try {
        await fh.writeFile(`${JSON.stringify(holder)}\n`);
      } catch (e) {
        await rm(lockPath, { force: true }); // do not leave a lock without a holder
        throw e;
      } finally {
        await fh.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new LeadliftError(
          'recommend.storeLockFailed',
          `Cannot create the store lock ${lockPath} (${(e as NodeJS.ErrnoException).code ?? 'error'}). Check that ${dirname(path)} is writable.`,
          { cause: e, details: { path: lockPath } },
        );
      }
    }
    const other = await readLockHolder(lockPath);
    if (await lockIsStale(lockPath, other)) {
      await removeStaleLock(lockPath, other);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LeadliftError(
        'recommend.storeBusy',
        `The recommendations store ${path} is busy: the lock ${lockPath} is held${other ? ` by pid ${other.pid} on ${other.host} since ${other.at}` : ''} and was not released within ${timeoutMs / 1000} s. Retry when the other \`leadlift recommend\` or \`leadlift recommendations\` command has finished; if no such command is running, remove ${lockPath}.`,
        { exitCode: ExitCode.busy, details: { path: lockPath, holder: other } },
      );
    }
    await sleep(retryMs);
  }
  try {
    return await fn();
  } finally {
    if ((await readLockHolder(lockPath))?.token === holder.token) await rm(lockPath, { force: true });
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
  return withStoreLock(path, async () => {
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
        store.entries[i] = {
          ...store.entries[i]!,
          title: rec.title,
          change: rec.change,
          recommendation: rec,
        };
      }
    }
    await writeStore(path, store);
    return store;
  });
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
  return withStoreLock(path, async () => {
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
  });
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

/**
 * Writes `<dir>/<id>.md`, then `<dir>/<id>.json`, each atomically; returns their paths.
 * The JSON is the commit marker: it is written last, so a change request whose JSON
 * exists is complete.
 */
export async function writeChangeRequest(
  dir: string,
  entry: StoreEntry,
): Promise<{ json: string; markdown: string }> {
  const cr = changeRequest(entry);
  const out = { json: join(dir, `${entry.id}.json`), markdown: join(dir, `${entry.id}.md`) };
  await writeAtomic(out.markdown, cr.markdown);
  await writeAtomic(out.json, recJson(cr.json));
  return out;
}

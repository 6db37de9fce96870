// Extract: streams every canonical entity of a window from a read-only source through
// its query pack into an immutable snapshot folder, replacing PII at the door. The folder
// is built under a temporary name and renamed only when every file and the manifest are
// complete, so a failed extract leaves nothing that looks like a snapshot.

import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RowStream, SourceAdapter, SqlValue } from '../db/adapter.js';
import { type ExitCode, LeadliftError } from '../errors.js';
import { type Progress, silentProgress } from '../progress.js';
import {
  ENTITIES,
  type EntityColumn,
  type EntityDef,
  type EntityName,
  snapshotColumns,
  type ValueType,
} from '../schema/entities.js';
import {
  type EntityManifest,
  entityFile,
  SNAPSHOT_FORMAT,
  type SnapshotManifest,
} from '../snapshot/manifest.js';
import { type CellValue, RowWriter } from '../snapshot/rows.js';
import { STREAM_WORKER_LIMITS } from '../snapshot/shards.js';
import { EXTRACT_TEMP, removeStaleTemps } from '../snapshot/stale.js';
import { gitCommit, VERSION } from '../version.js';
import {
  emailDomainType,
  hasPhone,
  isTestContact,
  type PiiHasher,
  packNameWords,
  phoneAreaCode,
  TextMasker,
} from './pii.js';
import type { Window } from './window.js';

/** One query file of a pack, as loaded and checked by the db layer. */
export interface QueryFile {
  readonly path: string;
  readonly sql: string;
  readonly sha256: string;
}

export interface ExtractOptions {
  readonly source: SourceAdapter;
  /** Query files by entity (a loaded query pack, with any single-file overrides applied). */
  readonly queries: Readonly<Record<EntityName, QueryFile>>;
  /** Name of the query pack, for the manifest. */
  readonly queryPackName: string;
  readonly window: Window;
  readonly hasher: PiiHasher;
  readonly demoKey: boolean;
  /** Final snapshot folder; must not exist. */
  readonly outDir: string;
  readonly progress?: Progress;
  /** Clock for the manifest (tests). Default: now. */
  readonly now?: () => Date;
  /**
   * Where a worker thread can open the source again, to extract activities while the main
   * thread extracts messages. Without it (or where workers can't load), one thread does all.
   */
  readonly reopen?: { readonly sourceUrl: string; readonly cwd: string; readonly piiKey: string };
  /** Sinks that see every row as it is written (the pipeline's checks). Default: none. */
  readonly sinks?: RowSinks;
}

/**
 * Sees every row of one entity as it is written, in whichever thread extracts it: the
 * pipeline passes check's row checker, so the checks need no second read of the files.
 */
export interface RowSink {
  /** One row, in the order of the entity's snapshot columns. */
  write(row: readonly CellValue[]): void;
  /** A structured-cloneable result (its typed arrays are moved, not copied, out of a worker). */
  result(): unknown;
}

/** How to build each entity's {@link RowSink}. */
export interface RowSinks {
  /** Cloneable setup data of each entity's sink; entities without one get no sink. */
  readonly setups: Partial<Record<EntityName, unknown>>;
  /** Builds a sink in this thread. */
  readonly create: (setup: unknown) => RowSink;
  /** URL of a module whose `createRowSink` export does the same, loaded by worker threads. */
  readonly module: string;
}

export interface ExtractResult {
  readonly dir: string;
  readonly manifest: SnapshotManifest;
  /** Temporary folders of killed extracts found beside the snapshot and removed. */
  readonly staleTempsRemoved: readonly string[];
  /** The result of each entity's {@link RowSink}, when sinks were given. */
  readonly sunk: Partial<Record<EntityName, unknown>>;
}

/** Runs the extraction. Throws LeadliftError on bad queries or data; leaves no folder behind then. */
export async function extractSnapshot(options: ExtractOptions): Promise<ExtractResult> {
  const now = options.now ?? (() => new Date());
  const progress = options.progress ?? silentProgress;
  const outDir = options.outDir;
  if (await exists(outDir)) {
    throw new LeadliftError(
      'extract.outExists',
      `Snapshot folder ${outDir} already exists; snapshots are immutable. Choose another --out or remove it.`,
      { details: { outDir } },
    );
  }
  await mkdir(dirname(outDir), { recursive: true });
  const stale = await removeStaleTemps(dirname(outDir), EXTRACT_TEMP);
  if (stale.length > 0) {
    progress
      .task('extract: temporary folders of killed runs')
      .done(`removed ${stale.length}: ${stale.join(', ')}`);
  }
  const tmpDir = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}`);
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir);

  const started = Date.now();
  const timings: Record<string, number> = {};
  const found = {} as Record<EntityName, EntityManifest>;
  const sunk: Partial<Record<EntityName, unknown>> = {};
  const entities = found;
  const state: ExtractState = { contacts: new Map(), enrollmentContact: new Map() };
  const group = new WorkGroup();
  try {
    const job = (def: EntityDef): EntityJob => ({
      def,
      query: options.queries[def.name],
      window: options.window,
      hasher: options.hasher,
      state,
      path: join(tmpDir, entityFile(def.name)),
      progress,
      signal: group.signal,
      ...(options.sinks?.setups[def.name] !== undefined
        ? { sink: { setup: options.sinks.setups[def.name], create: options.sinks.create } }
        : {}),
    });
    const timed = async (def: EntityDef, run: () => Promise<ExtractedEntity>) => {
      const t0 = Date.now();
      const done = await run();
      entities[def.name] = done.manifest;
      if (done.sunk !== undefined) sunk[def.name] = done.sunk;
      timings[def.name] = Date.now() - t0;
    };
    const reopen = options.reopen && canUseWorker(options.reopen.sourceUrl) ? options.reopen : undefined;
    // The contacts' masking words, packed once when the main thread has read every contact;
    // the workers that mask text start after that and all get this one string.
    let packed: string | undefined;
    const inWorker = (def: EntityDef): void => {
      const redacts = def.columns.some((c) => c.pii === 'redact');
      if (redacts && packed === undefined) {
        throw new Error(`extract: ${def.name} masks text but was started before the contacts were read`);
      }
      // Only masking needs the names.
      const contacts = redacts ? packed! : '[]';
      group.add(
        timed(def, () =>
          extractInWorker(job(def), contacts, reopen!, options.sinks?.module, (w) => group.track(w)),
        ),
      );
    };
    // Entities that need no contact names start in their own worker at once, beside the
    // contacts. Activities and messages need the names (and activities the enrollments):
    // they start in workers once the main thread has read those.
    const early = new Set<EntityName>();
    if (reopen)
      for (const def of ENTITIES)
        if (EARLY_ENTITIES.has(def.name)) {
          inWorker(def);
          early.add(def.name);
        }
    for (const def of ENTITIES) {
      if (early.has(def.name)) continue;
      // A worker that failed stops the work at once: its error is the one reported.
      group.signal.throwIfAborted();
      if (WORKER_ENTITIES.has(def.name) && reopen) inWorker(def);
      else await timed(def, () => extractEntity(options.source, job(def)));
      if (def.name === 'contacts' && reopen) packed = packContacts(state.contacts);
    }
    // Every worker has its copy: the string need not outlive the wait.
    packed = undefined;
    await group.all();
    timings.total = Date.now() - started;
    const createdAt = now();
    const manifest: SnapshotManifest = {
      format: SNAPSHOT_FORMAT,
      snapshot_id: basename(outDir),
      created_at_utc: createdAt.toISOString(),
      tool: { name: 'leadlift', version: VERSION, git_sha: gitCommit() },
      source: options.source.fingerprint,
      query_pack: options.queryPackName,
      window: {
        since: options.window.since,
        until: options.window.until,
        lookback_days: options.window.lookbackDays,
        effective_since: options.window.effectiveSince,
      },
      pii: { hash: 'hmac-sha256', key_fingerprint: options.hasher.keyFingerprint, demo_key: options.demoKey },
      entities: Object.fromEntries(ENTITIES.map((d) => [d.name, found[d.name]])) as Record<
        EntityName,
        EntityManifest
      >,
      timings_ms: timings,
    };
    await writeFile(join(tmpDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const def of ENTITIES) await chmod(join(tmpDir, entityFile(def.name)), 0o444);
    await chmod(join(tmpDir, 'manifest.json'), 0o444);
    await rename(tmpDir, outDir);
    return { dir: outDir, manifest, staleTempsRemoved: stale, sunk };
  } catch (e) {
    // Every worker is stopped, and all work has settled, before the folder they write into
    // is removed: removing it first raced their writes (and could fail, hiding `e`).
    await group.stop();
    try {
      await rm(tmpDir, { recursive: true, force: true });
    } catch {
      // Left for the next extract's sweep of stale temporary folders; `e` is what failed.
    }
    throw e;
  } finally {
    // Workers that succeeded may still be closing their connection.
    await group.stop();
    state.contacts.clear();
    state.enrollmentContact.clear();
  }
}

/**
 * Entities a worker thread extracts once the main thread has extracted the entities
 * before them: the biggest with text to mask. In a worker, not the main thread, they get
 * a young generation of {@link STREAM_WORKER_LIMITS}'s size, several times the main
 * thread's default: their millions of short-lived row values then cost far fewer
 * collections (measured: ~5% less extract CPU at 200k enrollments).
 */
const WORKER_ENTITIES: ReadonlySet<EntityName> = new Set<EntityName>(['activities', 'messages']);
/**
 * Entities with no text to mask (so no need of the contacts' names) that a worker
 * extracts from the start, beside the contacts: outcomes are the largest entity once
 * status callbacks are in the event log.
 */
const EARLY_ENTITIES: ReadonlySet<EntityName> = new Set<EntityName>(
  ENTITIES.filter((d) => d.name === 'outcomes' && !d.columns.some((c) => c.pii === 'redact')).map(
    (d) => d.name,
  ),
);

const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Workers load compiled JavaScript only (not under a TypeScript test runner), and need a source they can reopen. */
function canUseWorker(sourceUrl: string): boolean {
  return existsSync(WORKER_FILE) && !sourceUrl.includes(':memory:');
}

/** What a worker needs to extract one entity: plain data only. */
export interface WorkerInput {
  readonly sourceUrl: string;
  readonly cwd: string;
  readonly piiKey: string;
  readonly entity: EntityName;
  readonly query: QueryFile;
  readonly window: Window;
  readonly path: string;
  /**
   * The contacts' masking words as {@link packContacts} packs them: one string, since a structured
   * clone of ~100k small objects cost the main thread about 1 s per 100k enrollments.
   */
  readonly contacts: string;
  /** The enrollment → contact map as {@link packEnrollmentContacts} packs it. */
  readonly enrollmentContact: string;
  /** The entity's row sink: its setup and the module that builds it. */
  readonly sink?: { readonly module: string; readonly setup: unknown };
}

/** The contacts' masking words as one JSON string of a flat array: key, packed words, … */
export function packContacts(contacts: ReadonlyMap<string, string>): string {
  const flat: string[] = [];
  for (const [key, words] of contacts) flat.push(key, words);
  return JSON.stringify(flat);
}

/** Reverses {@link packContacts}. */
export function unpackContacts(packed: string): Map<string, string> {
  const flat = JSON.parse(packed) as string[];
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, flat[i + 1]!);
  return out;
}

/** The enrollment → contact key map as one JSON string of a flat array: enrollment, contact, … */
export function packEnrollmentContacts(map: ReadonlyMap<string, string>): string {
  const flat: string[] = [];
  for (const [enrollment, contact] of map) flat.push(enrollment, contact);
  return JSON.stringify(flat);
}

/**
 * Enrollment id → masking words from the packed contacts and enrollment → contact map;
 * an enrollment whose contact is unknown is left out (its texts are withheld, as when the
 * maps are looked up one after the other).
 */
export function unpackEnrollmentNames(contacts: string, enrollmentContact: string): Map<string, string> {
  const words = unpackContacts(contacts);
  const flat = JSON.parse(enrollmentContact) as string[];
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const w = words.get(flat[i + 1]!);
    if (w !== undefined) out.set(flat[i]!, w);
  }
  return out;
}

/** Reverses {@link packEnrollmentContacts}. */
export function unpackEnrollmentContacts(packed: string): Map<string, string> {
  const flat = JSON.parse(packed) as string[];
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) out.set(flat[i]!, flat[i + 1]!);
  return out;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { readonly kind: 'tick'; readonly rows: number }
  | { readonly kind: 'done'; readonly manifest: EntityManifest; readonly sunk?: unknown }
  | {
      readonly kind: 'error';
      readonly error: {
        code?: string;
        message: string;
        exitCode?: number;
        details?: Record<string, unknown>;
      };
    };

/** Something that runs in a thread of its own and can be stopped: a Worker. */
export interface Terminable {
  terminate(): Promise<unknown>;
}

/**
 * The work extract runs beside the main thread: every worker and the promise of its
 * result. The first failure aborts {@link signal} at once (the main thread checks it
 * between batches), {@link all} awaits every result together, and {@link stop} ends every
 * worker and waits until all work has settled, so the caller can then remove the folder
 * they write into.
 */
export class WorkGroup {
  private readonly failure = new AbortController();
  private readonly workers: Terminable[] = [];
  private readonly running: Promise<void>[] = [];

  /** Aborted, with the first failure as its reason, when any work fails. */
  get signal(): AbortSignal {
    return this.failure.signal;
  }

  /** A worker to stop with the group. */
  track(worker: Terminable): void {
    this.workers.push(worker);
  }

  /** The result of work running in the background; its failure aborts the group. */
  add(work: Promise<void>): void {
    this.running.push(work);
    // Handled here, so a failure is never unhandled while the main thread works on.
    work.catch((e: unknown) => {
      if (!this.failure.signal.aborted) this.failure.abort(e);
    });
  }

  /** Resolves when all work has succeeded; rejects with the first failure as soon as it happens. */
  async all(): Promise<void> {
    await Promise.all(this.running);
  }

  /** Terminates every worker, then waits for every piece of work to settle. Never rejects. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.terminate()));
    await Promise.allSettled(this.running);
  }
}

function extractInWorker(
  job: EntityJob,
  contacts: string,
  reopen: NonNullable<ExtractOptions['reopen']>,
  sinkModule: string | undefined,
  started: (w: Worker) => void,
): Promise<ExtractedEntity> {
  const input: WorkerInput = {
    ...reopen,
    entity: job.def.name,
    query: job.query,
    window: job.window,
    path: job.path,
    contacts,
    enrollmentContact: packEnrollmentContacts(
      job.def.name === 'activities' ? job.state.enrollmentContact : new Map(),
    ),
    ...(job.sink && sinkModule !== undefined ? { sink: { module: sinkModule, setup: job.sink.setup } } : {}),
  };
  const task = job.progress.task(`extract ${job.def.name}`);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, { workerData: input, resourceLimits: STREAM_WORKER_LIMITS });
    started(worker);
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'tick') task.tick(m.rows);
      else if (m.kind === 'done') {
        task.done(`${m.manifest.rows.toLocaleString('en-US')} rows`);
        resolve({ manifest: m.manifest, ...(m.sunk !== undefined ? { sunk: m.sunk } : {}) });
      } else {
        const e = m.error;
        reject(
          e.code
            ? new LeadliftError(e.code, e.message, {
                ...(e.exitCode !== undefined ? { exitCode: e.exitCode as ExitCode } : {}),
                ...(e.details ? { details: e.details } : {}),
              })
            : new Error(e.message),
        );
      }
    });
    worker.on('error', reject);
    // A worker that exits without its result (terminated, even with code 0, or crashed)
    // still settles the promise: the extract waits for every worker before it cleans up.
    // After the result, the rejection is a no-op.
    worker.on('exit', (code) => {
      reject(
        new Error(`the extract worker for ${job.def.name} stopped with code ${code} before it finished`),
      );
    });
  });
}

/** In-memory facts needed to redact later entities; never written anywhere. */
export interface ExtractState {
  /** Contact key → the contact's masking words, as {@link packNameWords} packs them. */
  readonly contacts: Map<string, string>;
  readonly enrollmentContact: Map<string, string>;
  /**
   * Enrollment id → its contact's masking words: the two maps above joined, which the
   * activities worker keeps instead of them (half the heap its collections mark).
   */
  readonly enrollmentNames?: Map<string, string>;
}

/** One entity to extract: everything but the connection. */
export interface EntityJob {
  readonly def: EntityDef;
  readonly query: QueryFile;
  readonly window: Window;
  readonly hasher: PiiHasher;
  readonly state: ExtractState;
  /** Final path of the row file (written under a temporary name first). */
  readonly path: string;
  readonly progress: Progress;
  /** Aborted when other work of the extract failed: the entity then stops at its next batch. */
  readonly signal?: AbortSignal;
  /** A sink to build for this entity: its setup and, in this thread, its factory. */
  readonly sink?: { readonly setup: unknown; readonly create: (setup: unknown) => RowSink };
}

/** One extracted entity: its manifest entry and, when it had a sink, the sink's result. */
export interface ExtractedEntity {
  readonly manifest: EntityManifest;
  readonly sunk?: unknown;
}

/** Streams one entity's query into its row file; used by the main thread and the worker. */
export async function extractEntity(source: SourceAdapter, job: EntityJob): Promise<ExtractedEntity> {
  const { def, query, state, progress } = job;
  const task = progress.task(`extract ${def.name}`);
  const params = { since: job.window.effectiveSince, until: job.window.until };
  const stream = source.streamRows(query.sql, params, { label: query.path });
  const outColumns = snapshotColumns(def);
  const writer = new RowWriter(job.path, outColumns);
  let plan: RowPlan | undefined;
  const counts: RowCounts = { coerced: 0, withheld: 0 };
  const sink = job.sink?.create(job.sink.setup);
  // One array for every row: the writer serializes it and the sink copies it at once.
  const out: CellValue[] = [];
  const masker = new TextMasker();
  try {
    for await (const batch of rowBatches(stream)) {
      job.signal?.throwIfAborted();
      plan ??= makePlan(def, query, await stream.columns());
      for (let r = 0; r < batch.length; r++) {
        writeRow(def, plan, batch[r]!, job.hasher, masker, state, writer, counts, sink, out);
        if ((writer.rowCount & 4095) === 0) {
          job.signal?.throwIfAborted();
          await writer.flush();
          task.tick(4096);
        }
      }
    }
    plan ??= makePlan(def, query, await stream.columns());
    const info = await writer.close();
    task.done(`${info.rows.toLocaleString('en-US')} rows`);
    const manifest: EntityManifest = {
      file: entityFile(def.name),
      rows: info.rows,
      bytes: info.bytes,
      sha256: info.sha256,
      columns: outColumns.map((name) => ({ name, type: outputType(def, name) })),
      query_sha256: query.sha256,
      query_file: basename(query.path),
      ignored_columns: plan.ignored,
      ...(counts.coerced > 0 ? { values_set_to_null: counts.coerced } : {}),
      ...(counts.withheld > 0 ? { texts_withheld: counts.withheld } : {}),
    };
    return sink ? { manifest, sunk: sink.result() } : { manifest };
  } catch (e) {
    await writer.abort();
    throw e;
  }
}

interface RowPlan {
  /** Index in the returned row of each canonical column (same order as def.columns). */
  readonly indexes: readonly number[];
  /** Canonical name → index in the returned row. */
  readonly byName: ReadonlyMap<string, number>;
  readonly ignored: readonly string[];
  /** Whether any column is masked text (which needs the row's contact). */
  readonly redacts: boolean;
  /** What is done with each canonical column (an {@link Op}), decided once per entity. */
  readonly ops: Uint8Array;
}

/** What {@link writeRow} does with a column: its PII rule and, for hashes, the identifier kind. */
const Op = { drop: 0, hashEmail: 1, hashPhone: 2, hashId: 3, redact: 4, keep: 5 } as const;

function opOf(c: EntityColumn): number {
  switch (c.pii ?? 'keep') {
    case 'drop':
      return Op.drop;
    case 'hash':
    case 'pseudonym': {
      const kind = hashKind(c);
      return kind === 'email' ? Op.hashEmail : kind === 'phone' ? Op.hashPhone : Op.hashId;
    }
    case 'redact':
      return Op.redact;
    default:
      return Op.keep;
  }
}

/** The rows of a stream in batches, from the stream's own batches when it has them. */
async function* rowBatches(stream: RowStream): AsyncGenerator<readonly (readonly SqlValue[])[]> {
  if (stream.batches) {
    yield* stream.batches();
    return;
  }
  for await (const row of stream) yield [row];
}

function makePlan(def: EntityDef, query: QueryFile, returned: readonly string[]): RowPlan {
  const byLower = new Map(returned.map((n, i) => [n.toLowerCase(), i]));
  const missing: string[] = [];
  const indexes: number[] = [];
  for (const c of def.columns) {
    const found = byLower.get(c.name.toLowerCase());
    if (found === undefined) missing.push(c.name);
    else indexes.push(found);
  }
  if (missing.length > 0) {
    throw new LeadliftError(
      'extract.missingColumns',
      `Query file ${query.path} (entity ${def.name}) returned no column ${missing.map((m) => `"${m}"`).join(', ')}. ` +
        `It must return: ${def.columns.map((c) => c.name).join(', ')}. Alias the source columns with these names.`,
      { details: { entity: def.name, file: query.path, missing } },
    );
  }
  const canonical = new Set(def.columns.map((c) => c.name.toLowerCase()));
  const ignored = returned.filter((n) => !canonical.has(n.toLowerCase()));
  return {
    indexes,
    byName: new Map(def.columns.map((c, i) => [c.name, indexes[i]!])),
    ignored,
    redacts: def.columns.some((c) => c.pii === 'redact'),
    ops: Uint8Array.from(def.columns, opOf),
  };
}

/** Values set to null (wrong type) and texts withheld, counted over an entity's rows. */
interface RowCounts {
  coerced: number;
  withheld: number;
}

/**
 * Writes one transformed row (built in `out`, which is reused); adds to `counts` the
 * values set to null and the texts withheld.
 */
function writeRow(
  def: EntityDef,
  plan: RowPlan,
  row: readonly SqlValue[],
  hasher: PiiHasher,
  masker: TextMasker,
  state: ExtractState,
  writer: RowWriter,
  counts: RowCounts,
  sink: RowSink | undefined,
  out: CellValue[],
): void {
  out.length = 0;
  const raw = (name: string): SqlValue => rawValue(plan, row, name);
  let contact: string | undefined;
  if (!plan.redacts) {
    // No text to mask: the contact is not needed.
  } else if (def.name === 'activities') {
    const enrollmentId = idString(raw('enrollment_id')) ?? '';
    if (state.enrollmentNames) contact = state.enrollmentNames.get(enrollmentId);
    else {
      const contactId = state.enrollmentContact.get(enrollmentId);
      contact = contactId === undefined ? undefined : state.contacts.get(contactId);
    }
  } else if (def.name === 'messages' || def.name === 'outcomes') {
    contact = state.contacts.get(contactKey(raw('org_id'), raw('contact_id')));
  }
  const { ops, indexes } = plan;
  const columns = def.columns;
  for (let i = 0; i < ops.length; i++) {
    const v = row[indexes[i]!] ?? null;
    switch (ops[i]) {
      case Op.drop:
        break;
      case Op.hashEmail:
        out.push(hasher.hash('email', v));
        break;
      case Op.hashPhone:
        out.push(hasher.hash('phone', v));
        break;
      case Op.hashId:
        out.push(hasher.hash('id', v));
        break;
      case Op.redact:
        // Without its contact's names, text can't be masked safely: it is withheld.
        if (contact === undefined && v !== null) {
          counts.withheld++;
          out.push(null);
        } else out.push(masker.mask(v, contact));
        break;
      default: {
        const converted = coerce(columns[i]!, v);
        if (converted === undefined) {
          counts.coerced++;
          out.push(null);
        } else out.push(converted);
      }
    }
  }
  if (def.name === 'contacts') {
    const pii = { first_name: raw('first_name'), last_name: raw('last_name'), full_name: raw('full_name') };
    const email = raw('email');
    const phone = raw('phone');
    out.push(
      emailDomainType(email),
      email !== null && String(email).trim() !== '',
      hasPhone(phone),
      phoneAreaCode(phone),
    );
    out.push(isTestContact({ ...pii, email, phone }));
    state.contacts.set(
      contactKey(raw('org_id'), raw('contact_id')),
      packNameWords(textOrNull(pii.first_name), textOrNull(pii.last_name), textOrNull(pii.full_name)),
    );
  } else if (def.name === 'enrollments') {
    const enrollmentId = idString(raw('enrollment_id'));
    if (enrollmentId !== null)
      state.enrollmentContact.set(enrollmentId, contactKey(raw('org_id'), raw('contact_id')));
  }
  writer.write(out);
  sink?.write(out);
}

function rawValue(plan: RowPlan, row: readonly SqlValue[], name: string): SqlValue {
  const index = plan.byName.get(name);
  return index === undefined ? null : (row[index] ?? null);
}

function contactKey(org: SqlValue, contact: SqlValue): string {
  return `${idString(org) ?? ''}\u0000${idString(contact) ?? ''}`;
}

function hashKind(c: EntityColumn): 'email' | 'phone' | 'id' {
  return c.name === 'email' ? 'email' : c.name === 'phone' ? 'phone' : 'id';
}

function textOrNull(v: SqlValue): string | null {
  if (v === null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function idString(v: SqlValue): string | null {
  if (v === null) return null;
  return String(v);
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Converts a value to the column's type; undefined when it can't be (set to null and counted). */
function coerce(c: EntityColumn, v: SqlValue): CellValue | undefined {
  if (v === null) return null;
  switch (c.type) {
    case 'id':
      return idString(v);
    case 'string':
    case 'text':
    case 'timestamp':
      return typeof v === 'string' ? v : String(v);
    case 'integer':
    case 'number': {
      if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v.trim() === '') return null;
      return NUMERIC.test(v) ? Number(v) : undefined;
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      if (typeof v === 'number') return v !== 0;
      const s = v.trim().toLowerCase();
      if (s === '') return null;
      if (['1', 'true', 't', 'yes', 'y'].includes(s)) return true;
      if (['0', 'false', 'f', 'no', 'n'].includes(s)) return false;
      return undefined;
    }
  }
}

function outputType(def: EntityDef, name: string): ValueType {
  const c = def.columns.find((x) => x.name === name);
  if (c) return c.type;
  if (name.endsWith('_hash')) return 'string';
  if (name === 'has_email' || name === 'has_phone' || name === 'is_test_hint') return 'boolean';
  return 'string';
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

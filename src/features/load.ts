// Streams the cleaned row files into typed-array state (once per entity on one thread;
// see loadTables for the worker thread's share): contacts and enrollments in dense
// indexes, every engagement event as one compact record (time, kind, channel, outcome,
// text measures) and every outcome linked to an enrollment.
// Events are not sorted by enrollment in the files, so nothing here depends on order;
// the families later read each enrollment's events through a sorted index.

import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import type { CleanTables } from '../clean/tables.js';
import { LeadliftError } from '../errors.js';
import type { Progress } from '../progress.js';
import type { EntityName } from '../schema/entities.js';
import { badLine, type CellValue, openRows, RowScanner } from '../snapshot/rows.js';
import { daysFromCivil } from '../snapshot/values.js';
import {
  ACTIVITIES_TASK_LABEL,
  type ActivitiesWorker,
  activitiesWorkerAvailable,
  activitiesWorkerStats,
  readTaskLabel,
  startActivitiesWorker,
} from './load-parallel.js';
import { INTENTS, type OutboundTextStats, outboundTextStats, replyIntent, replySentiment } from './text.js';

/**
 * A copy of `s` that does not share memory with the string it was cut from. Cells come
 * from RowScanner as slices of a line, and a line is a slice of a ~1 MB read chunk: a
 * slice kept in a long-lived structure would keep the whole chunk alive (measured: 1.2 GB
 * held by a few thousand cached texts on a 0.5 GB folder).
 */
export function fresh(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** A string dictionary: value → dense code, in first-seen order. */
export class Dict {
  readonly values: string[] = [];
  private readonly map = new Map<string, number>();
  code(s: string): number {
    let c = this.map.get(s);
    if (c === undefined) {
      c = this.values.length;
      const own = fresh(s);
      this.map.set(own, c);
      this.values.push(own);
    }
    return c;
  }
  get(s: string): number | undefined {
    return this.map.get(s);
  }
  get size(): number {
    return this.values.length;
  }
}

export const KIND_ACTIVITY = 0;
export const KIND_OUT_MESSAGE = 1;
export const KIND_IN_MESSAGE = 2;
export const CHANNEL_CODES = ['sms', 'email', 'voice'] as const;
export const CHANNEL_UNKNOWN = 3;
export const OUTCOME_OTHER = 0;
export const OUTCOME_VOICEMAIL = 1;
export const OUTCOME_CONNECTED = 2;
export const OUTCOME_NO_ANSWER = 3;
export const OUTCOME_FAILED = 4;
export const INTENT_NONE = 255;
export const FLAG_CTA = 1;

/** Engagement events as parallel typed columns (growable). */
export class EventTable {
  n = 0;
  enr: Int32Array;
  t: Float64Array;
  /** When the row was written (knowledge time); NaN when unknown. */
  known: Float64Array;
  kind: Uint8Array;
  channel: Uint8Array;
  outcome: Uint8Array;
  duration: Float32Array;
  step: Int32Array;
  variant: Int32Array;
  /** Text measures of the message (generated_message or body); NaN length = no text. */
  textLen: Float32Array;
  questions: Uint8Array;
  personalization: Uint8Array;
  links: Uint8Array;
  timeOffers: Uint8Array;
  flags: Uint8Array;
  intent: Uint8Array;
  sentiment: Int8Array;
  /** Prompt measures (activities): length (NaN = none) and time offers in the prompt. */
  promptLen: Float32Array;
  promptOffers: Uint8Array;

  /**
   * `capacity`: records allocated up front. The loader passes the manifest's row counts, so
   * a big load allocates once instead of doubling (a doubling copy briefly holds 3× the data).
   * `shared`: columns on SharedArrayBuffers (see {@link EventTable.buffers}) so a worker
   * thread can fill a range of them; `buffers` instead views records [0, capacity) of such
   * buffers (which may be longer), so a table that outgrows them grows into new memory and
   * never writes past record `capacity`.
   */
  constructor(capacity = 1024, shared = false, buffers?: EventBuffers) {
    const col = <T>(name: EventColumn, make: (b: ArrayBuffer, length: number) => T, bytes: number): T => {
      const b = buffers ? buffers[name] : shared ? new SharedArrayBuffer(capacity * bytes) : capacity * bytes;
      return make((typeof b === 'number' ? new ArrayBuffer(b) : b) as ArrayBuffer, capacity);
    };
    this.enr = col('enr', (b, n) => new Int32Array(b, 0, n), 4);
    this.t = col('t', (b, n) => new Float64Array(b, 0, n), 8);
    this.known = col('known', (b, n) => new Float64Array(b, 0, n), 8);
    this.kind = col('kind', (b, n) => new Uint8Array(b, 0, n), 1);
    this.channel = col('channel', (b, n) => new Uint8Array(b, 0, n), 1);
    this.outcome = col('outcome', (b, n) => new Uint8Array(b, 0, n), 1);
    this.duration = col('duration', (b, n) => new Float32Array(b, 0, n), 4);
    this.step = col('step', (b, n) => new Int32Array(b, 0, n), 4);
    this.variant = col('variant', (b, n) => new Int32Array(b, 0, n), 4);
    this.textLen = col('textLen', (b, n) => new Float32Array(b, 0, n), 4);
    this.questions = col('questions', (b, n) => new Uint8Array(b, 0, n), 1);
    this.personalization = col('personalization', (b, n) => new Uint8Array(b, 0, n), 1);
    this.links = col('links', (b, n) => new Uint8Array(b, 0, n), 1);
    this.timeOffers = col('timeOffers', (b, n) => new Uint8Array(b, 0, n), 1);
    this.flags = col('flags', (b, n) => new Uint8Array(b, 0, n), 1);
    this.intent = col('intent', (b, n) => new Uint8Array(b, 0, n), 1);
    this.sentiment = col('sentiment', (b, n) => new Int8Array(b, 0, n), 1);
    this.promptLen = col('promptLen', (b, n) => new Float32Array(b, 0, n), 4);
    this.promptOffers = col('promptOffers', (b, n) => new Uint8Array(b, 0, n), 1);
  }

  /** The records allocated. */
  get capacity(): number {
    return this.enr.length;
  }

  /** Every column's buffer (SharedArrayBuffers when built `shared`, until a grow). */
  buffers(): EventBuffers {
    const out = {} as Record<EventColumn, ArrayBufferLike>;
    for (const name of EVENT_COLUMNS) out[name] = this.columns()[name].buffer;
    return out;
  }

  /** Moves records [from, from + count) to [to, to + count) in every column (to ≤ from). */
  moveRange(from: number, to: number, count: number): void {
    for (const c of Object.values(this.columns())) c.copyWithin(to, from, from + count);
  }

  private columns(): Record<EventColumn, EventArray> {
    return {
      enr: this.enr,
      t: this.t,
      known: this.known,
      kind: this.kind,
      channel: this.channel,
      outcome: this.outcome,
      duration: this.duration,
      step: this.step,
      variant: this.variant,
      textLen: this.textLen,
      questions: this.questions,
      personalization: this.personalization,
      links: this.links,
      timeOffers: this.timeOffers,
      flags: this.flags,
      intent: this.intent,
      sentiment: this.sentiment,
      promptLen: this.promptLen,
      promptOffers: this.promptOffers,
    };
  }

  /** Reserves one more record and returns its index. */
  add(): number {
    if (this.n === this.enr.length) this.grow();
    return this.n++;
  }

  private grow(): void {
    const cap = Math.max(1024, this.enr.length * 2);
    const g = <T extends { length: number; set(a: T): void }>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.enr = g(this.enr, (n) => new Int32Array(n));
    this.t = g(this.t, (n) => new Float64Array(n));
    this.known = g(this.known, (n) => new Float64Array(n));
    this.kind = g(this.kind, (n) => new Uint8Array(n));
    this.channel = g(this.channel, (n) => new Uint8Array(n));
    this.outcome = g(this.outcome, (n) => new Uint8Array(n));
    this.duration = g(this.duration, (n) => new Float32Array(n));
    this.step = g(this.step, (n) => new Int32Array(n));
    this.variant = g(this.variant, (n) => new Int32Array(n));
    this.textLen = g(this.textLen, (n) => new Float32Array(n));
    this.questions = g(this.questions, (n) => new Uint8Array(n));
    this.personalization = g(this.personalization, (n) => new Uint8Array(n));
    this.links = g(this.links, (n) => new Uint8Array(n));
    this.timeOffers = g(this.timeOffers, (n) => new Uint8Array(n));
    this.flags = g(this.flags, (n) => new Uint8Array(n));
    this.intent = g(this.intent, (n) => new Uint8Array(n));
    this.sentiment = g(this.sentiment, (n) => new Int8Array(n));
    this.promptLen = g(this.promptLen, (n) => new Float32Array(n));
    this.promptOffers = g(this.promptOffers, (n) => new Uint8Array(n));
  }
}

/** The columns of an {@link EventTable}. */
export const EVENT_COLUMNS = [
  'enr',
  't',
  'known',
  'kind',
  'channel',
  'outcome',
  'duration',
  'step',
  'variant',
  'textLen',
  'questions',
  'personalization',
  'links',
  'timeOffers',
  'flags',
  'intent',
  'sentiment',
  'promptLen',
  'promptOffers',
] as const;
export type EventColumn = (typeof EVENT_COLUMNS)[number];
type EventArray = Int32Array | Float64Array | Float32Array | Uint8Array | Int8Array;
/** The buffer of every column of an {@link EventTable}. */
export type EventBuffers = Readonly<Record<EventColumn, ArrayBufferLike>>;

/** Everything the families and labels need, in dense typed state. */
export interface Loaded {
  readonly nEnr: number;
  readonly orgId: string[];
  readonly enrollmentId: string[];
  readonly contactId: string[];
  readonly campaignId: string[];
  /** Contact index of each enrollment. */
  readonly enrContact: Int32Array;
  readonly enrCreated: Float64Array;
  /** Code of (org_id, campaign_id) in `campaigns`. */
  readonly enrCampaign: Int32Array;
  readonly campaigns: Dict;
  /** Per contact: codes into the dictionaries (−1 missing) and flags (NaN missing). */
  readonly contact: {
    readonly leadSource: number[];
    readonly region: number[];
    readonly domainType: number[];
    readonly timezone: number[];
    readonly hasPhone: number[];
    readonly hasEmail: number[];
  };
  readonly dicts: {
    readonly leadSource: Dict;
    readonly region: Dict;
    readonly domainType: Dict;
    readonly timezone: Dict;
    readonly org: Dict;
  };
  /** Steps and variants by (org_id, id) code; order_id and is_control (NaN unknown). */
  readonly steps: Dict;
  readonly stepOrder: number[];
  readonly variants: Dict;
  readonly variantIsControl: number[];
  readonly events: EventTable;
  /** First outbound touch of each enrollment, NaN when none. */
  readonly decision: Float64Array;
  readonly outcomes: {
    readonly n: number;
    readonly enr: Int32Array;
    readonly type: Uint8Array;
    readonly t: Float64Array;
  };
  readonly unlinked: { activities: number; messages: number; outcomes: number };
}

/** Outcome type codes of the outcomes table. */
export const OUTCOME_TYPE_CODES = { call_booked: 0, qualified: 1, converted: 2 } as const;

const key = (org: unknown, id: unknown): string => `${String(org)}\u0000${String(id)}`;
const str = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : v == null ? null : String(v);
const ms = (v: unknown): number => (typeof v === 'string' ? isoMs(v) : Number.NaN);

/**
 * Milliseconds of a timestamp. Clean writes every timestamp as YYYY-MM-DDTHH:MM:SS.mmmZ;
 * that form is decoded from its digits and the day number computed by daysFromCivil
 * (Date.parse was a tenth of the load time, Date.UTC half of what remained), any other goes through
 * Date.parse; on the cleaned form the result equals Date.parse's (tested on random times of
 * years 0–9999).
 */
export function isoMs(s: string): number {
  if (s.length !== 24 || s.charCodeAt(10) !== 84 || s.charCodeAt(23) !== 90 || s.charCodeAt(19) !== 46) {
    return Date.parse(s);
  }
  // Digit values; a non-digit maps above 9 (unsigned).
  const y0 = (s.charCodeAt(0) - 48) >>> 0;
  const y1 = (s.charCodeAt(1) - 48) >>> 0;
  const y2 = (s.charCodeAt(2) - 48) >>> 0;
  const y3 = (s.charCodeAt(3) - 48) >>> 0;
  const mo0 = (s.charCodeAt(5) - 48) >>> 0;
  const mo1 = (s.charCodeAt(6) - 48) >>> 0;
  const d0 = (s.charCodeAt(8) - 48) >>> 0;
  const d1 = (s.charCodeAt(9) - 48) >>> 0;
  const h0 = (s.charCodeAt(11) - 48) >>> 0;
  const h1 = (s.charCodeAt(12) - 48) >>> 0;
  const mi0 = (s.charCodeAt(14) - 48) >>> 0;
  const mi1 = (s.charCodeAt(15) - 48) >>> 0;
  const s0 = (s.charCodeAt(17) - 48) >>> 0;
  const s1 = (s.charCodeAt(18) - 48) >>> 0;
  const f0 = (s.charCodeAt(20) - 48) >>> 0;
  const f1 = (s.charCodeAt(21) - 48) >>> 0;
  const f2 = (s.charCodeAt(22) - 48) >>> 0;
  if (
    y0 > 9 ||
    y1 > 9 ||
    y2 > 9 ||
    y3 > 9 ||
    mo0 > 9 ||
    mo1 > 9 ||
    d0 > 9 ||
    d1 > 9 ||
    h0 > 9 ||
    h1 > 9 ||
    mi0 > 9 ||
    mi1 > 9 ||
    s0 > 9 ||
    s1 > 9 ||
    f0 > 9 ||
    f1 > 9 ||
    f2 > 9
  ) {
    return Date.parse(s);
  }
  const month = mo0 * 10 + mo1;
  const day = d0 * 10 + d1;
  const hour = h0 * 10 + h1;
  const minute = mi0 * 10 + mi1;
  const second = s0 * 10 + s1;
  // Days past 28 and out-of-range fields go to Date.parse, which knows month lengths.
  if (month < 1 || month > 12 || day < 1 || day > 28 || hour > 23 || minute > 59 || second > 59) {
    return Date.parse(s);
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const msPart = f0 * 100 + f1 * 10 + f2;
  return (
    daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + msPart
  );
}

interface Columns {
  readonly idx: (name: string) => number;
}

/** One row of a scan: the decoded value of cell `i` (undefined for a malformed cell). */
type Cell = (i: number) => CellValue | undefined;

// Decodes only the cells a loader asks for (RowScanner): ids, times and the texts that
// are measured, not the hashes and other columns; about twice as fast as JSON.parse.
async function scan(
  tables: CleanTables,
  entity: EntityName,
  progress: Progress,
  onRow: (row: Cell, cols: Columns) => void,
): Promise<number> {
  const reader = await openRows(tables.path(entity));
  const cache = new Map<string, number>();
  const cols: Columns = {
    idx: (name) => {
      let i = cache.get(name);
      if (i === undefined) {
        i = reader.indexOf(name);
        if (i < 0) {
          throw new LeadliftError(
            'features.missingColumn',
            `Cleaned file ${reader.path} has no column "${name}" (columns: ${reader.columns.join(', ')}). Re-run \`leadlift clean\` with this version.`,
            { details: { entity, column: name } },
          );
        }
        cache.set(name, i);
      }
      return i;
    },
  };
  const task = progress.task(readTaskLabel(entity), tables.manifest.entities[entity].rows);
  const scanner = new RowScanner();
  const width = reader.columns.length;
  const cell: Cell = (i) => scanner.value(i);
  let n = 0;
  for await (const lines of reader.lineBatches()) {
    for (const line of lines) {
      n++;
      if (!scanner.scan(line) || scanner.count !== width) badLine(reader.path, n + 1);
      onRow(cell, cols);
    }
    task.tick(lines.length);
  }
  task.done(`${n.toLocaleString('en-US')} rows`);
  return n;
}

function channelCode(v: unknown): number {
  const i = (CHANNEL_CODES as readonly unknown[]).indexOf(v);
  return i < 0 ? CHANNEL_UNKNOWN : i;
}

/** Steps and variants by (org_id, id): read from their tables, extended by the activities. */
export interface StepState {
  readonly steps: Dict;
  readonly stepOrder: number[];
  readonly variants: Dict;
  readonly variantIsControl: number[];
}

/**
 * The code of (org, id) in `dict` (-1 without an id); a new code gets a missing value in
 * `values`, the column kept per code.
 */
function codeWithValue(dict: Dict, values: number[], org: unknown, id: unknown): number {
  const s = str(id);
  if (s === null) return -1;
  const before = dict.size;
  const c = dict.code(key(org, s));
  if (c === before) values.push(Number.NaN);
  return c;
}

const stepCodeOf = (st: StepState, org: unknown, id: unknown) =>
  codeWithValue(st.steps, st.stepOrder, org, id);
const variantCodeOf = (st: StepState, org: unknown, id: unknown) =>
  codeWithValue(st.variants, st.variantIsControl, org, id);

const flag = (v: unknown) => (v === true ? 1 : v === false ? 0 : Number.NaN);

/** Reads campaign_steps and step_variants. */
export async function loadSteps(tables: CleanTables, progress: Progress): Promise<StepState> {
  const st: StepState = { steps: new Dict(), stepOrder: [], variants: new Dict(), variantIsControl: [] };
  await scan(tables, 'campaign_steps', progress, (r, c) => {
    const o = r(c.idx('order_id'));
    st.stepOrder[stepCodeOf(st, r(c.idx('org_id')), r(c.idx('step_id')))] =
      typeof o === 'number' ? o : Number.NaN;
  });
  await scan(tables, 'step_variants', progress, (r, c) => {
    st.variantIsControl[variantCodeOf(st, r(c.idx('org_id')), r(c.idx('variant_id')))] = flag(
      r(c.idx('is_control')),
    );
  });
  return st;
}

/** Enrollment keys (org_id, enrollment_id) → dense index: first occurrence in file order. */
export async function loadEnrollmentKeys(tables: CleanTables, progress: Progress): Promise<Dict> {
  const enrKeys = new Dict();
  await scan(tables, 'enrollments', progress, (r, c) => {
    const k = key(String(r(c.idx('org_id'))), r(c.idx('enrollment_id')));
    if (enrKeys.get(k) === undefined) enrKeys.code(k);
  });
  return enrKeys;
}

/**
 * Reads the activities into `events` (from its current end) and their first touches into
 * `decision` (the minimum of the times seen). Returns the activities without a known
 * enrollment.
 */
export async function loadActivities(
  tables: CleanTables,
  progress: Progress,
  enrKeys: Dict,
  st: StepState,
  events: EventTable,
  decision: Float64Array,
): Promise<number> {
  const texts = new TextStatsCache();
  const unlinked = { activities: 0 };
  const touch = (e: number, t: number) => {
    if (!(decision[e]! <= t)) decision[e] = t;
  };
  const stepCode = (org: unknown, id: unknown) => stepCodeOf(st, org, id);
  const variantCode = (org: unknown, id: unknown) => variantCodeOf(st, org, id);
  await scan(tables, 'activities', progress, (r, c) => {
    const org = r(c.idx('org_id'));
    const e = enrKeys.get(key(org, r(c.idx('enrollment_id'))));
    if (e === undefined) {
      unlinked.activities++;
      return;
    }
    let t = ms(r(c.idx('sent_at')));
    if (Number.isNaN(t)) t = ms(r(c.idx('call_started_at')));
    if (Number.isNaN(t)) t = ms(r(c.idx('completed_at')));
    if (Number.isNaN(t)) return; // planned, never ran: not an engagement
    touch(e, t);
    const i = events.add();
    events.enr[i] = e;
    events.t[i] = t;
    events.known[i] = ms(r(c.idx('created_at')));
    events.kind[i] = KIND_ACTIVITY;
    const ch = channelCode(r(c.idx('channel')));
    events.channel[i] = ch;
    const status = r(c.idx('status'));
    const outcome = r(c.idx('outcome'));
    events.outcome[i] =
      status === 'failed' || outcome === 'failed' || outcome === 'undelivered' || outcome === 'bounced'
        ? OUTCOME_FAILED
        : outcome === 'voicemail'
          ? OUTCOME_VOICEMAIL
          : outcome === 'connected'
            ? OUTCOME_CONNECTED
            : outcome === 'no_answer'
              ? OUTCOME_NO_ANSWER
              : OUTCOME_OTHER;
    const d = r(c.idx('call_duration_sec'));
    events.duration[i] = typeof d === 'number' ? d : Number.NaN;
    events.step[i] = stepCode(org, r(c.idx('step_id')));
    events.variant[i] = variantCode(org, r(c.idx('variant_id')));
    events.intent[i] = INTENT_NONE;
    const msg = str(r(c.idx('generated_message')));
    if (msg !== null && ch !== 2) setOutbound(events, i, msg, texts);
    else events.textLen[i] = Number.NaN;
    const prompt = str(r(c.idx('prompt_used')));
    if (prompt !== null) {
      const p = texts.get(prompt);
      events.promptLen[i] = p.length;
      events.promptOffers[i] = Math.min(255, p.timeOffers);
    } else events.promptLen[i] = Number.NaN;
  });

  return unlinked.activities;
}

/** Options of {@link loadTables}. */
export interface LoadOptions {
  /**
   * 2: the activities are read in a worker thread while this thread reads the other tables
   * (same result), when the compiled worker exists (else 1); 1: all on this thread.
   * Default 2 when the compiled worker exists, there are two cores, this is the main
   * thread and the activities file holds at least {@link PARALLEL_MIN_ACTIVITIES} rows.
   */
  readonly threads?: number;
}

/** Activity rows from which reading them in a worker thread pays for its start-up. */
export const PARALLEL_MIN_ACTIVITIES = 100_000;

/** What a load with the worker returns when its result can't be used. */
const RETRY = Symbol('read again on one thread');

/**
 * Reads the cleaned tables into the dense state. On one thread every entity is read once.
 * With the worker (see {@link LoadOptions.threads}) the worker reads campaign_steps and
 * step_variants (this thread takes them from its result) and the enrollment keys, which
 * this thread reads too, so only the enrollments are read on both threads; and when the
 * worker fails, or a file holds more rows than its manifest lists, everything is read
 * again on this thread, once the first attempt's state has been let go.
 */
export async function loadTables(
  tables: CleanTables,
  progress: Progress,
  options: LoadOptions = {},
): Promise<Loaded> {
  const threads =
    options.threads ??
    (tables.manifest.entities.activities.rows >= PARALLEL_MIN_ACTIVITIES &&
    availableParallelism() >= 2 &&
    isMainThread
      ? 2
      : 1);
  if (threads > 1 && activitiesWorkerAvailable()) {
    const loaded = await loadWithWorker(tables, progress);
    if (loaded !== RETRY) return loaded;
    activitiesWorkerStats.retried++;
  }
  return readTables(tables, progress);
}

/** Reads with the activities in a worker thread; the worker is stopped however this ends. */
async function loadWithWorker(tables: CleanTables, progress: Progress): Promise<Loaded | typeof RETRY> {
  const rows = tables.manifest.entities;
  const events = new EventTable(rows.activities.rows + rows.messages.rows + 1, true);
  const shared = events.buffers();
  const startedMs = performance.now();
  let worker: ActivitiesWorker;
  try {
    worker = startActivitiesWorker(tables, shared, rows.activities.rows);
  } catch {
    // A worker that cannot start (its data, its script): read everything on this thread.
    return RETRY;
  }
  try {
    return await readTables(tables, progress, { worker, events, shared, startedMs });
  } finally {
    await worker.terminate();
  }
}

/** The worker reading the activities into `events` (whose buffers were `shared`). */
interface WithWorker {
  readonly worker: ActivitiesWorker;
  readonly events: EventTable;
  readonly shared: EventBuffers;
  /** performance.now() when the worker was started (its bar opens only later). */
  readonly startedMs: number;
}

async function readTables(tables: CleanTables, progress: Progress): Promise<Loaded>;
async function readTables(
  tables: CleanTables,
  progress: Progress,
  parallel: WithWorker,
): Promise<Loaded | typeof RETRY>;
async function readTables(
  tables: CleanTables,
  progress: Progress,
  parallel?: WithWorker,
): Promise<Loaded | typeof RETRY> {
  const activityRows = tables.manifest.entities.activities.rows;
  const events =
    parallel?.events ?? new EventTable(activityRows + tables.manifest.entities.messages.rows + 1);

  const dicts = {
    leadSource: new Dict(),
    region: new Dict(),
    domainType: new Dict(),
    timezone: new Dict(),
    org: new Dict(),
  };
  const contactKeys = new Dict();
  const contact = {
    leadSource: [] as number[],
    region: [] as number[],
    domainType: [] as number[],
    timezone: [] as number[],
    hasPhone: [] as number[],
    hasEmail: [] as number[],
  };
  const cat = (d: Dict, v: unknown) => {
    const s = str(v);
    return s === null ? -1 : d.code(s);
  };
  const addContact = (k: string): number => {
    const before = contactKeys.size;
    const c = contactKeys.code(k);
    if (c === before) {
      contact.leadSource.push(-1);
      contact.region.push(-1);
      contact.domainType.push(-1);
      contact.timezone.push(-1);
      contact.hasPhone.push(Number.NaN);
      contact.hasEmail.push(Number.NaN);
    }
    return c;
  };
  await scan(tables, 'contacts', progress, (r, c) => {
    const i = addContact(key(r(c.idx('org_id')), r(c.idx('contact_id'))));
    contact.leadSource[i] = cat(dicts.leadSource, r(c.idx('lead_source')));
    contact.region[i] = cat(dicts.region, r(c.idx('region')));
    contact.domainType[i] = cat(dicts.domainType, r(c.idx('email_domain_type')));
    contact.timezone[i] = cat(dicts.timezone, r(c.idx('timezone')));
    contact.hasPhone[i] = flag(r(c.idx('has_phone')));
    contact.hasEmail[i] = flag(r(c.idx('has_email')));
  });

  let st = parallel ? undefined : await loadSteps(tables, progress);

  const enrKeys = new Dict();
  const orgId: string[] = [];
  const enrollmentId: string[] = [];
  const contactId: string[] = [];
  const campaignId: string[] = [];
  const enrContactList: number[] = [];
  const enrCreatedList: number[] = [];
  const enrCampaignList: number[] = [];
  const campaigns = new Dict();
  const campaignIds = new Dict();
  await scan(tables, 'enrollments', progress, (r, c) => {
    const orgText = String(r(c.idx('org_id')));
    const k = key(orgText, r(c.idx('enrollment_id')));
    if (enrKeys.get(k) !== undefined) return; // clean removed duplicates; be safe anyway
    enrKeys.code(k);
    // Org and campaign ids repeat: every row shares the dictionary's one copy.
    const org = dicts.org.values[dicts.org.code(orgText)]!;
    orgId.push(org);
    enrollmentId.push(fresh(String(r(c.idx('enrollment_id')))));
    const cid = fresh(String(r(c.idx('contact_id'))));
    contactId.push(cid);
    const camp = campaignIds.values[campaignIds.code(String(r(c.idx('campaign_id'))))]!;
    campaignId.push(camp);
    enrContactList.push(addContact(key(org, cid)));
    enrCreatedList.push(ms(r(c.idx('created_at'))));
    enrCampaignList.push(campaigns.code(key(org, camp)));
  });
  const nEnr = orgId.length;
  const enrContact = Int32Array.from(enrContactList);
  const enrCreated = Float64Array.from(enrCreatedList);
  const enrCampaign = Int32Array.from(enrCampaignList);

  // Enrollments of each contact by created_at: messages and outcomes without an
  // enrollment go to the contact's latest enrollment created at or before their time.
  const nContacts = contactKeys.size;
  const cStart = new Int32Array(nContacts + 1);
  for (let e = 0; e < nEnr; e++) cStart[enrContact[e]! + 1]!++;
  for (let i = 0; i < nContacts; i++) cStart[i + 1]! += cStart[i]!;
  const cEnr = new Int32Array(nEnr);
  const fill = cStart.slice(0, nContacts);
  for (let e = 0; e < nEnr; e++) cEnr[fill[enrContact[e]!]!++] = e;
  for (let i = 0; i < nContacts; i++) {
    for (let a = cStart[i]! + 1; a < cStart[i + 1]!; a++) {
      const v = cEnr[a]!;
      let b = a - 1;
      while (b >= cStart[i]! && enrCreated[cEnr[b]!]! > enrCreated[v]!) {
        cEnr[b + 1] = cEnr[b]!;
        b--;
      }
      cEnr[b + 1] = v;
    }
  }
  const enrollmentAt = (contactIdx: number, t: number): number => {
    let found = -1;
    for (let a = cStart[contactIdx]!; a < cStart[contactIdx + 1]!; a++) {
      const e = cEnr[a]!;
      if (enrCreated[e]! <= t) found = e;
      else break;
    }
    return found;
  };

  const decision = new Float64Array(nEnr).fill(Number.NaN);
  const unlinked = { activities: 0, messages: 0, outcomes: 0 };
  const texts = new TextStatsCache();
  const replies = new Map<string, { questions: number; intent: number; sentiment: number }>();
  const touch = (e: number, t: number) => {
    if (!(decision[e]! <= t)) decision[e] = t;
  };

  // Activities come first in the event table, then messages. With the worker, messages go
  // after the range reserved for the activities and move down once their count is known.
  if (st) unlinked.activities = await loadActivities(tables, progress, enrKeys, st, events, decision);
  else events.n = activityRows;
  const messagesFrom = events.n;
  await scan(tables, 'messages', progress, (r, c) => {
    const ci = contactKeys.get(key(r(c.idx('org_id')), r(c.idx('contact_id'))));
    let t = ms(r(c.idx('message_ts')));
    const known = ms(r(c.idx('created_at')));
    if (Number.isNaN(t)) t = known;
    const e = ci === undefined || Number.isNaN(t) ? -1 : enrollmentAt(ci, t);
    if (e < 0) {
      unlinked.messages++;
      return;
    }
    const inbound = r(c.idx('direction')) === 'inbound';
    if (!inbound) touch(e, t);
    const i = events.add();
    events.enr[i] = e;
    events.t[i] = t;
    events.known[i] = known;
    events.kind[i] = inbound ? KIND_IN_MESSAGE : KIND_OUT_MESSAGE;
    events.channel[i] = channelCode(r(c.idx('channel')));
    events.outcome[i] = OUTCOME_OTHER;
    events.duration[i] = Number.NaN;
    events.step[i] = -1;
    events.variant[i] = -1;
    events.promptLen[i] = Number.NaN;
    events.intent[i] = INTENT_NONE;
    const body = str(r(c.idx('body')));
    if (body === null) events.textLen[i] = Number.NaN;
    else if (inbound) {
      events.textLen[i] = body.length;
      let m = replies.get(body);
      if (m === undefined) {
        let q = 0;
        for (let k = body.indexOf('?'); k >= 0; k = body.indexOf('?', k + 1)) q++;
        m = {
          questions: Math.min(255, q),
          intent: INTENTS.indexOf(replyIntent(body)),
          sentiment: replySentiment(body),
        };
        if (replies.size >= TEXT_CACHE_MAX) replies.clear();
        replies.set(fresh(body), m);
      }
      events.questions[i] = m.questions;
      events.intent[i] = m.intent;
      events.sentiment[i] = m.sentiment;
    } else setOutbound(events, i, body, texts);
  });

  const oEnr: number[] = [];
  const oType: number[] = [];
  const oT: number[] = [];
  await scan(tables, 'outcomes', progress, (r, c) => {
    const type = r(c.idx('outcome_type'));
    if (type !== 'call_booked' && type !== 'qualified' && type !== 'converted') return;
    const org = r(c.idx('org_id'));
    const t = ms(r(c.idx('occurred_at')));
    const eid = str(r(c.idx('enrollment_id')));
    let e = eid === null ? undefined : enrKeys.get(key(org, eid));
    if (e === undefined && !Number.isNaN(t)) {
      const ci = contactKeys.get(key(org, r(c.idx('contact_id'))));
      if (ci !== undefined) {
        const found = enrollmentAt(ci, t);
        if (found >= 0) e = found;
      }
    }
    if (e === undefined || Number.isNaN(t)) {
      unlinked.outcomes++;
      return;
    }
    oEnr.push(e);
    oType.push(OUTCOME_TYPE_CODES[type]);
    oT.push(t);
  });

  if (parallel) {
    // This thread's reads are done: show the worker's progress from here on (two tasks
    // drawing at once would overwrite each other's line).
    const task = progress.task(ACTIVITIES_TASK_LABEL, activityRows);
    parallel.worker.follow(task);
    const r = await parallel.worker.result.catch((e: unknown) =>
      e instanceof Error ? e : new Error(String(e)),
    );
    const moved = events.buffers();
    const why =
      r instanceof Error
        ? r.message
        : r.nEnr !== nEnr
          ? 'the threads read different enrollments'
          : r.nEvents > messagesFrom
            ? 'the activities outgrew the rows their manifest lists'
            : EVENT_COLUMNS.some((c) => moved[c] !== parallel.shared[c])
              ? 'the messages outgrew the rows their manifest lists'
              : undefined;
    if (why !== undefined || r instanceof Error) {
      task.done(`not used (${why}); reading every table again on this thread`);
      return RETRY;
    }
    // The bar opened when this thread's reads ended; say when the worker's result came,
    // counted from its start (the later of the two threads' ends).
    const seconds = ((performance.now() - parallel.startedMs) / 1000).toFixed(1);
    task.done(
      `${r.nEvents.toLocaleString('en-US')} events, read in a worker thread beside the other tables (both done ${seconds}s after its start)`,
    );
    const nMessages = events.n - messagesFrom;
    events.moveRange(messagesFrom, r.nEvents, nMessages);
    events.n = r.nEvents + nMessages;
    for (let e = 0; e < nEnr; e++) {
      const t = r.decision[e]!;
      if (!Number.isNaN(t) && !(decision[e]! <= t)) decision[e] = t;
    }
    st = stepStateOf(r.steps);
    unlinked.activities = r.unlinkedActivities;
    activitiesWorkerStats.done++;
  }
  st = st!;

  return {
    nEnr,
    orgId,
    enrollmentId,
    contactId,
    campaignId,
    enrContact,
    enrCreated,
    enrCampaign,
    campaigns,
    contact,
    dicts,
    steps: st.steps,
    stepOrder: st.stepOrder,
    variants: st.variants,
    variantIsControl: st.variantIsControl,
    events,
    decision,
    outcomes: {
      n: oEnr.length,
      enr: Int32Array.from(oEnr),
      type: Uint8Array.from(oType),
      t: Float64Array.from(oT),
    },
    unlinked,
  };
}

/** A {@link StepState} as plain data, for the message from the worker thread. */
export interface StepStateData {
  readonly steps: readonly string[];
  readonly stepOrder: readonly number[];
  readonly variants: readonly string[];
  readonly variantIsControl: readonly number[];
}

export function stepStateData(st: StepState): StepStateData {
  return {
    steps: st.steps.values,
    stepOrder: st.stepOrder,
    variants: st.variants.values,
    variantIsControl: st.variantIsControl,
  };
}

function stepStateOf(d: StepStateData): StepState {
  const steps = new Dict();
  for (const v of d.steps) steps.code(v);
  const variants = new Dict();
  for (const v of d.variants) variants.code(v);
  return { steps, stepOrder: [...d.stepOrder], variants, variantIsControl: [...d.variantIsControl] };
}

/**
 * Text measures by text: agents send the same template-filled texts and prompts many
 * times (a few thousand distinct texts in 100k enrollments), and the regexes were the
 * costliest part of the load. Cleared when it grows past {@link TEXT_CACHE_MAX} entries.
 */
const TEXT_CACHE_MAX = 50_000;
class TextStatsCache {
  private readonly map = new Map<string, OutboundTextStats>();
  get(text: string): OutboundTextStats {
    let s = this.map.get(text);
    if (s === undefined) {
      s = outboundTextStats(text);
      if (this.map.size >= TEXT_CACHE_MAX) this.map.clear();
      this.map.set(fresh(text), s);
    }
    return s;
  }
}

function setOutbound(events: EventTable, i: number, text: string, cache: TextStatsCache): void {
  const s = cache.get(text);
  events.textLen[i] = s.length;
  events.questions[i] = Math.min(255, s.questions);
  events.personalization[i] = Math.min(255, s.personalization);
  events.links[i] = Math.min(255, s.links);
  events.timeOffers[i] = Math.min(255, s.timeOffers);
  events.flags[i] = s.cta ? FLAG_CTA : 0;
}

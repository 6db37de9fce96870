// The features on a small demo (3000 enrollments, seed 42): point-in-time correctness by
// mutating the cleaned files after a random time, time-aware campaign rates by brute
// force, the planted lead-level effects, byte-identical CSV output, and the in-memory
// hand-off to the trainer equal to that CSV read back.

import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanSnapshot } from '../clean/index.js';
import { type CleanTables, openCleanTables } from '../clean/tables.js';
import { configSchema } from '../config/schema.js';
import { writeDemoSqlite } from '../demo/sqlite-file.js';
import type { DemoTruth } from '../demo/truth.js';
import { parseWindow } from '../extract/window.js';
import { SeededRng } from '../numeric/rng.js';
import { runExtract } from '../pipeline/extract.js';
import type { Progress } from '../progress.js';
import { openSnapshot } from '../snapshot/manifest.js';
import { tempDir } from '../test-support/snapshot.js';
import { parseCsv } from '../train/csv.js';
import { examplesTableOf } from '../train/training-set.js';
import { PACKAGE_ROOT } from '../version.js';
import { RATE_PRIOR_WEIGHT, smoothedRate } from './campaign.js';
import { buildTrainingSet, type TrainingSet, writeTrainingExamplesCsv } from './index.js';
import { activitiesWorkerAvailable, activitiesWorkerStats } from './load-parallel.js';

let work: string;
let cleanup: () => Promise<void>;
let cleanedDir: string;
let tables: CleanTables;
let base: TrainingSet;
let truth: DemoTruth;

beforeAll(async () => {
  ({ dir: work, cleanup } = await tempDir('leadlift-features-'));
  const dbFile = join(work, 'agent-cory.sqlite');
  ({ truth } = await writeDemoSqlite(dbFile, { enrollments: 3000, seed: 42 }, { cwd: work }));
  const config = configSchema.parse({ sourceUrl: `sqlite:${dbFile}` });
  const window = parseWindow(truth.window.start, truth.window.as_of, 0);
  const extract = await runExtract({ config, window, cwd: work, env: {}, outDir: join(work, 'snap') });
  cleanedDir = join(work, 'clean');
  await cleanSnapshot(await openSnapshot(extract.dir), config.clean, cleanedDir);
  tables = await openCleanTables(cleanedDir);
  base = await buildTrainingSet(tables);
});

afterAll(async () => {
  await cleanup();
});

const rowKey = (s: TrainingSet, r: number) => `${s.keys.orgId[r]}:${s.keys.enrollmentId[r]}`;
const col = (s: TrainingSet, name: string) => s.features.columns[s.features.names.indexOf(name)]!;

type Row = unknown[];
async function readRows(dir: string, entity: string): Promise<{ header: string[]; rows: Row[] }> {
  const lines = (await readFile(join(dir, `${entity}.jsonl`), 'utf8')).split('\n').filter((l) => l !== '');
  return { header: JSON.parse(lines[0]!) as string[], rows: lines.slice(1).map((l) => JSON.parse(l) as Row) };
}
async function writeRows(dir: string, entity: string, header: string[], rows: Row[]): Promise<void> {
  await writeFile(
    join(dir, `${entity}.jsonl`),
    [header, ...rows].map((r) => `${JSON.stringify(r)}\n`).join(''),
  );
}
const ms = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : Number.NaN);
const iso = (t: number) => new Date(t).toISOString();

/** Time columns of each event entity: the event time (first non-null) and the others. */
const EVENT_TIME: Record<string, { event: string[]; recorded: string[]; all: string[] }> = {
  activities: {
    event: ['sent_at', 'call_started_at', 'completed_at'],
    recorded: ['created_at'],
    all: [
      'scheduled_at',
      'sent_at',
      'delivered_at',
      'completed_at',
      'call_started_at',
      'created_at',
      'updated_at',
    ],
  },
  messages: {
    event: ['message_ts', 'created_at'],
    recorded: ['created_at'],
    all: ['message_ts', 'created_at'],
  },
  outcomes: { event: ['occurred_at'], recorded: [], all: ['occurred_at', 'scheduled_at', 'recorded_at'] },
};
const CONTENT: Record<string, Record<string, () => unknown>> = {
  activities: {
    channel: () => 'voice',
    status: () => 'failed',
    outcome: () => 'connected',
    call_duration_sec: () => 999,
    generated_message: () =>
      'Book now? Tue 3/10 at 2:00 PM or Wed 3/11 at 10:30 AM https://x.example [first_name]',
    prompt_used: () => 'Offer 9:00 AM or 4:00 PM.',
    step_id: () => '2001',
    variant_id: () => '3002',
  },
  messages: {
    direction: () => 'inbound',
    body: () => 'STOP',
    channel: () => 'email',
  },
  outcomes: { outcome_type: () => 'call_booked', enrollment_id: () => null },
};

/**
 * Copies the cleaned folder and, for every event after `at` (happened at or after it),
 * deletes it, changes its content or moves it later; events that happened before `at`
 * but were recorded at or after it get content changes only.
 */
async function mutateAfter(
  at: number,
  seed: number,
  name: string,
): Promise<{ dir: string; touched: number }> {
  const dir = join(work, name);
  await cp(cleanedDir, dir, { recursive: true });
  const rng = new SeededRng(seed);
  let touched = 0;
  for (const entity of ['activities', 'messages', 'outcomes']) {
    const { header, rows } = await readRows(dir, entity);
    const at_ = (r: Row, c: string) => r[header.indexOf(c)];
    const spec = EVENT_TIME[entity]!;
    const out: Row[] = [];
    for (const r of rows) {
      const first = spec.event.map((c) => ms(at_(r, c))).find((t) => !Number.isNaN(t)) ?? Number.NaN;
      const recorded = Math.max(
        ...spec.recorded.map((c) => ms(at_(r, c))).filter((t) => !Number.isNaN(t)),
        -Infinity,
      );
      const happenedAfter = first >= at;
      if (!happenedAfter && !(recorded >= at)) {
        out.push(r);
        continue;
      }
      touched++;
      const roll = rng.nextFloat();
      if (happenedAfter && roll < 0.3) continue; // deleted
      const copy = [...r];
      if (happenedAfter && roll < 0.6) {
        const shift = (1 + Math.floor(rng.nextFloat() * 72)) * 3_600_000;
        for (const c of spec.all) {
          const t = ms(copy[header.indexOf(c)]);
          if (!Number.isNaN(t)) copy[header.indexOf(c)] = iso(t + shift);
        }
      } else {
        for (const [c, v] of Object.entries(CONTENT[entity]!))
          if (rng.nextFloat() < 0.5) copy[header.indexOf(c)] = v();
      }
      out.push(copy);
    }
    await writeRows(dir, entity, header, out);
  }
  return { dir, touched };
}

describe('buildTrainingSet (demo)', () => {
  it('when any event after a time T is changed, moved later or deleted then no feature of a row with cutoff ≤ T changes', async () => {
    const rng = new SeededRng(7);
    const first = base.decisionTs[0]!;
    const last = base.cutoffTs[base.nRows - 1]!;
    let compared = 0;
    let changedLater = 0;
    for (let trial = 0; trial < 3; trial++) {
      const at = first + (0.2 + 0.6 * rng.nextFloat()) * (last - first);
      const { dir, touched } = await mutateAfter(at, 100 + trial, `mut-${trial}`);
      expect(touched).toBeGreaterThan(100);
      const set = await buildTrainingSet(await openCleanTables(dir), { asOf: base.asOf });
      const index = new Map<string, number>();
      for (let r = 0; r < set.nRows; r++) index.set(rowKey(set, r), r);
      expect(set.features.names).toEqual(base.features.names);
      for (let r = 0; r < base.nRows; r++) {
        const m = index.get(rowKey(base, r));
        if (base.cutoffTs[r]! > at) {
          if (
            m === undefined ||
            base.features.columns.some((c, j) => !Object.is(c[r], set.features.columns[j]![m]))
          )
            changedLater++;
          continue;
        }
        expect(m).toBeDefined();
        expect(set.decisionTs[m!]).toBe(base.decisionTs[r]);
        base.features.columns.forEach((c, j) => {
          const name = base.features.names[j]!;
          // Categorical codes are indexes into the sorted categories present, which a
          // mutation may change: compare the category text instead.
          const cats = base.categories[name];
          const before = cats ? (Number.isNaN(c[r]!) ? null : cats[c[r]!]) : c[r];
          const v = set.features.columns[j]![m!]!;
          const after = cats ? (Number.isNaN(v) ? null : set.categories[name]![v]) : v;
          if (!Object.is(before, after)) expect.fail(`${name} of ${rowKey(base, r)}: ${before} → ${after}`);
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    // The mutations are strong enough to move features of rows whose cutoff is later.
    expect(changedLater).toBeGreaterThan(100);
  });

  it('when an event just before a cutoff is changed then that row’s features change (the check above can fail)', async () => {
    const dir = join(work, 'mut-before');
    await cp(cleanedDir, dir, { recursive: true });
    const { header, rows } = await readRows(dir, 'activities');
    const r = base.nRows >> 1;
    const eid = base.keys.enrollmentId[r]!;
    const i = rows.findIndex((x) => x[header.indexOf('enrollment_id')] === eid);
    rows[i]![header.indexOf('outcome')] = 'connected';
    rows[i]![header.indexOf('channel')] = 'voice';
    rows[i]![header.indexOf('call_duration_sec')] = 321;
    await writeRows(dir, 'activities', header, rows);
    const set = await buildTrainingSet(await openCleanTables(dir));
    const m = set.keys.enrollmentId.indexOf(eid);
    expect(col(set, 'int_connected_seconds')[m]).toBeGreaterThanOrEqual(321);
    expect(col(base, 'int_connected_seconds')[r]).not.toBe(col(set, 'int_connected_seconds')[m]);
  });

  it('when campaign rates are recomputed by brute force then each row sees exactly the other enrollments whose window closed before its decision', () => {
    const week = 7 * 86_400_000;
    const y = base.labels.booked_call_within_7d!.y;
    const rate = col(base, 'cmp_campaign_book_rate');
    const n = col(base, 'cmp_campaign_history_n');
    for (let r = 0; r < base.nRows; r += 7) {
      let all = 0;
      let allPos = 0;
      let k = 0;
      let kPos = 0;
      for (let j = 0; j < base.nRows; j++) {
        if (!(base.decisionTs[j]! + week < base.decisionTs[r]!)) continue;
        if (j === r) expect.fail(`row ${r} sees its own outcome`);
        all++;
        allPos += y[j]!;
        if (
          base.keys.campaignId[j] === base.keys.campaignId[r] &&
          base.keys.orgId[j] === base.keys.orgId[r]
        ) {
          k++;
          kPos += y[j]!;
        }
      }
      expect(n[r]).toBe(k);
      expect(rate[r]).toBeCloseTo(smoothedRate(kPos, k, allPos, all, RATE_PRIOR_WEIGHT), 12);
    }
  });

  it('when a row’s own outcomes are deleted then its campaign, step and variant rates do not change', async () => {
    const dir = join(work, 'own-outcome');
    await cp(cleanedDir, dir, { recursive: true });
    const y = base.labels.booked_call_within_7d!.y;
    const picked = new Set<string>();
    const contacts = new Set<string>();
    for (let r = 0; r < base.nRows && picked.size < 40; r += 13) {
      if (!y[r]) continue;
      picked.add(base.keys.enrollmentId[r]!);
      contacts.add(base.keys.contactId[r]!);
    }
    const { header, rows } = await readRows(dir, 'outcomes');
    const e = header.indexOf('enrollment_id');
    const c = header.indexOf('contact_id');
    // Outcomes without an enrollment_id are credited by contact: remove the contact's too.
    const kept = rows.filter(
      (x) => !picked.has(String(x[e])) && !(x[e] === null && contacts.has(String(x[c]))),
    );
    await writeRows(dir, 'outcomes', header, kept);
    const set = await buildTrainingSet(await openCleanTables(dir));
    let checked = 0;
    for (let r = 0; r < base.nRows; r++) {
      if (!picked.has(base.keys.enrollmentId[r]!)) continue;
      const m = set.keys.enrollmentId.indexOf(base.keys.enrollmentId[r]!);
      expect(set.labels.booked_call_within_7d!.y[m]).toBe(0);
      // Only outcomes of windows closed before this decision count: the row's own never does.
      const earlier = [...picked].some((id) => {
        const j = base.keys.enrollmentId.indexOf(id);
        return base.decisionTs[j]! + 7 * 86_400_000 < base.decisionTs[r]!;
      });
      if (earlier) continue;
      for (const name of ['cmp_campaign_book_rate', 'cmp_step_book_rate', 'cmp_variant_book_rate']) {
        expect(Object.is(col(set, name)[m], col(base, name)[r])).toBe(true);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('when outcome groups are compared then the planted lead-level effects show in the planted direction', () => {
    const share = (target: keyof TrainingSet['labels'], name: string, pred: (v: number) => boolean) => {
      const l = base.labels[target]!;
      const c = col(base, name);
      const g = [
        { n: 0, k: 0 },
        { n: 0, k: 0 },
      ];
      for (let r = 0; r < base.nRows; r++) {
        if (!l.eligible[r]) continue;
        const grp = g[l.y[r]!]!;
        grp.n++;
        if (pred(c[r]!)) grp.k++;
      }
      return { neg: g[0]!.k / g[0]!.n, pos: g[1]!.k / g[1]!.n };
    };
    expect(truth.effects.map((e) => e.id)).toEqual(
      expect.arrayContaining([
        'speed_to_lead',
        'slot_offer_first_touch',
        'lead_source_referral',
        'voicemail_only',
      ]),
    );
    // speed_to_lead (down): fast first touches (< 5 min) are more common among bookers.
    const fast = share('booked_call_within_7d', 'tim_speed_to_lead_min', (v) => v < 5);
    expect(fast.pos).toBeGreaterThan(fast.neg);
    // slot_offer_first_touch (up): a first text offering two concrete times is more common among bookers.
    const slots = share('booked_call_within_7d', 'con_first_msg_time_offers', (v) => v >= 2);
    expect(slots.pos).toBeGreaterThan(slots.neg * 1.3);
    // lead_source_referral (up, on conversion).
    const ref = base.categories.ctc_lead_source!.indexOf('referral');
    expect(ref).toBeGreaterThanOrEqual(0);
    const referral = share('conversion_within_30d', 'ctc_lead_source', (v) => v === ref);
    expect(referral.pos).toBeGreaterThan(referral.neg * 1.3);
    // voicemail_only (down, on conversion).
    const vm = share('conversion_within_30d', 'int_voicemail_only', (v) => v === 1);
    expect(vm.pos).toBeLessThan(vm.neg);
  });

  it('when the same cleaned tables are built twice then training_examples.csv has identical bytes', async () => {
    await mkdir(join(work, 'csv'), { recursive: true });
    const a = join(work, 'csv', 'a.csv');
    const b = join(work, 'csv', 'b.csv');
    await writeTrainingExamplesCsv(a, base);
    await writeTrainingExamplesCsv(b, await buildTrainingSet(await openCleanTables(cleanedDir)));
    const [ta, tb] = [await readFile(a), await readFile(b)];
    expect(ta.equals(tb)).toBe(true);
    expect(ta.toString('utf8').split('\r\n').length - 2).toBe(base.nRows);
  });

  it('when the examples of a target are handed over in memory then they equal its CSV parsed back', async () => {
    await mkdir(join(work, 'csv'), { recursive: true });
    for (const t of base.targets) {
      const path = join(work, 'csv', `${t}.csv`);
      await writeTrainingExamplesCsv(path, base, { only: (r) => base.labels[t]!.eligible[r] === 1 });
      const parsed = parseCsv(await readFile(path, 'utf8'), path);
      const table = examplesTableOf(base, t);
      expect(table.nRows).toBe(base.labels[t]!.nEligible);
      expect(table.header).toEqual(parsed.header);
      expect(table.columns).toEqual(parsed.columns);
      expect(table.nRows).toBe(parsed.nRows);
    }
  });

  it('when the demo is labelled then every exclusion is counted and the counts add up', () => {
    for (const t of base.targets) {
      const l = base.labels[t]!;
      const ex = l.exclusions;
      expect(ex.no_outbound_touch).toBe(base.enrollmentsWithoutTouch);
      expect(l.nEligible + ex.window_not_elapsed + ex.outcome_before_cutoff).toBe(base.nRows);
      expect(l.nPositive).toBeGreaterThan(0);
    }
    expect(base.labels.booked_call_within_7d!.exclusions.outcome_before_cutoff).toBeGreaterThan(0);
  });
});

describe('buildTrainingSet from the TypeScript sources with readThreads 2', () => {
  it('when the worker is not compiled then one thread reads every table once, no worker started', async () => {
    expect(activitiesWorkerAvailable()).toBe(false);
    const { started, retried } = activitiesWorkerStats;
    const two = await buildTrainingSet(tables, { readThreads: 2 });
    expect(activitiesWorkerStats.started).toBe(started);
    expect(activitiesWorkerStats.retried).toBe(retried);
    expect(two).toEqual(base);
  });
});

/** Worker threads load only compiled code: `npm ci` builds it (prepare) before `npm test`. */
const COMPILED = join(PACKAGE_ROOT, 'dist/features');
const workerBuilt = existsSync(join(COMPILED, 'load-worker.js'));
if (!workerBuilt)
  console.warn(`worker-thread features test skipped: ${COMPILED} is not built (npm run build)`);

describe('buildTrainingSet with the activities read in a worker thread', () => {
  const load = (f: string) => import(pathToFileURL(join(COMPILED, f)).href);
  it.skipIf(!workerBuilt)(
    'when two threads read the files then the training set equals one thread bit for bit',
    async () => {
      const { buildTrainingSet: build } = await load('build.js');
      const { activitiesWorkerStats } = await load('load-parallel.js');
      const before = activitiesWorkerStats.done;
      const two: TrainingSet = await build(tables, { readThreads: 2 });
      expect(activitiesWorkerStats.done).toBe(before + 1);
      const one: TrainingSet = await build(tables, { readThreads: 1 });
      expect(activitiesWorkerStats.done).toBe(before + 1);
      expect(two).toEqual(one);
      expect(two.features).toEqual(base.features);
      expect(two.labels).toEqual(base.labels);
    },
  );

  it.skipIf(!workerBuilt)(
    'when the contacts file is missing then the load rejects and the worker is stopped at once',
    async () => {
      const { loadTables } = await load('load.js');
      const { activitiesWorkerStats, ACTIVITIES_TASK_LABEL } = await load('load-parallel.js');
      const missing: CleanTables = {
        ...tables,
        path: (e) => (e === 'contacts' ? join(work, 'no-such-contacts.jsonl') : tables.path(e)),
      };
      const seen: string[] = [];
      const progress: Progress = {
        task: (label) => ({ tick: () => seen.push(label), done: () => seen.push(`${label}: done`) }),
      };
      const started = activitiesWorkerStats.started;
      const err = await loadTables(missing, progress, { threads: 2 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(activitiesWorkerStats.started).toBe(started + 1);
      expect(activitiesWorkerStats.live).toBe(0);
      // The worker's bar never opened: this thread's reads did not end.
      expect(seen.filter((l) => l.startsWith(ACTIVITIES_TASK_LABEL))).toEqual([]);
    },
  );

  it.skipIf(!workerBuilt)(
    'when the manifest lists fewer activities than the file then two threads fall back to one, same result',
    async () => {
      const { buildTrainingSet: build } = await load('build.js');
      const { activitiesWorkerStats, ACTIVITIES_TASK_LABEL } = await load('load-parallel.js');
      const manifest = JSON.parse(JSON.stringify(tables.manifest)) as CleanTables['manifest'];
      (manifest.entities.activities as { rows: number }).rows -= 50;
      const fewer: CleanTables = { dir: tables.dir, manifest, path: (e) => tables.path(e) };
      const summaries: string[] = [];
      const progress: Progress = {
        task: (label) => ({
          tick: () => {},
          done: (summary) => {
            if (label === ACTIVITIES_TASK_LABEL) summaries.push(summary ?? '');
          },
        }),
      };
      const { started, done, retried } = activitiesWorkerStats;
      const two: TrainingSet = await build(fewer, { readThreads: 2 }, progress);
      expect(activitiesWorkerStats.started).toBe(started + 1);
      expect(activitiesWorkerStats.retried).toBe(retried + 1);
      expect(activitiesWorkerStats.done).toBe(done);
      expect(activitiesWorkerStats.live).toBe(0);
      // The worker's task says why its result was not used; then the re-read shows its own.
      expect(summaries[0]).toMatch(/^not used \(the activities outgrew the rows their manifest lists\)/);
      expect(summaries).toHaveLength(2);
      const one: TrainingSet = await build(fewer, { readThreads: 1 });
      expect(two).toEqual(one);
      expect(two.features).toEqual(base.features);
      expect(two.labels).toEqual(base.labels);
    },
  );
});

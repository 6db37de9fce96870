import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli/io.js';
import { runCli } from '../cli/run.js';
import { type Config, configSchema } from '../config/schema.js';
import { pidAlive } from '../daily/lock.js';
import { isLeadliftError } from '../errors.js';
import { parseWindow } from '../extract/window.js';
import { editRunJson, type TrainedRunFixture, trainedRunFixture } from '../test-support/trained-run.js';
import { parseCsv } from '../train/csv.js';
import { dailyWindow, lockNameOf, type PersistStep, runDaily } from './daily.js';

let fx: TrainedRunFixture;
let passedRun: string;
beforeAll(async () => {
  fx = await trainedRunFixture();
  // A serving run whose gates passed (the small demo's model ties its baseline).
  passedRun = join(fx.cwd, 'tmp/serving-passed');
  await cp(fx.runDir, passedRun, { recursive: true });
  await editRunJson(passedRun, 'metrics.json', (m) => {
    (m.gates as { passed: boolean }).passed = true;
  });
}, 120_000);

/** A dead pid: a process that existed on this host and ended. */
function deadPid(): number {
  for (let pid = 4_000_000; pid > 3_000_000; pid -= 7919) if (!pidAlive(pid)) return pid;
  throw new Error('no dead pid found');
}

function options(runsDir: string, over: Partial<Parameters<typeof runDaily>[0]> = {}) {
  const config: Config = configSchema.parse({ runsDir });
  return {
    config,
    cwd: fx.cwd,
    env: {},
    artifactsDir: passedRun,
    window: parseWindow(fx.since, fx.until, 0),
    persist: null,
    handleSignals: false,
    ...over,
  } as Parameters<typeof runDaily>[0];
}

const lockName = () => lockNameOf('none', 'booked_call_within_7d');
const lockPath = (runsDir: string) => join(fx.cwd, runsDir, `${lockName()}.lock`);

describe('dailyWindow', () => {
  it('when --days-back 90 at 05:30 UTC then the window is the 90 whole days before today, half-open', () => {
    const w = dailyWindow({ daysBack: 90 }, new Date('2026-03-01T05:30:00Z'), 0);
    expect(w.since).toBe('2025-12-01T00:00:00.000Z');
    expect(w.until).toBe('2026-03-01T00:00:00.000Z');
  });

  it('when run at midnight exactly then today is still excluded and a leap day counts', () => {
    const w = dailyWindow({ daysBack: 1 }, new Date('2024-03-01T00:00:00Z'), 30);
    expect(w.since).toBe('2024-02-29T00:00:00.000Z');
    expect(w.until).toBe('2024-03-01T00:00:00.000Z');
    expect(w.effectiveSince).toBe('2024-01-30T00:00:00.000Z');
  });

  it('when no flag is given then the default is 90 days', () => {
    const w = dailyWindow({}, new Date('2026-06-15T23:59:59Z'), 0);
    expect((Date.parse(w.until) - Date.parse(w.since)) / 86_400_000).toBe(90);
    expect(w.until).toBe('2026-06-15T00:00:00.000Z');
  });

  it('when --days-back and --since are both given then it refuses', () => {
    expect(() =>
      dailyWindow({ daysBack: 3, since: '2026-01-01', until: '2026-01-02' }, new Date(), 0),
    ).toThrow(/either --days-back/);
  });
});

describe('runDaily', () => {
  it('when two jobs overlap then the second exits 5 naming the holder, and the first persists once', async () => {
    const runsDir = 'tmp/runs-lock';
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const calls: Parameters<PersistStep>[0][] = [];
    const persist: PersistStep = async (args) => {
      calls.push(args);
      return { inserted: 3, updated: 1 };
    };
    const first = runDaily(
      options(runsDir, {
        persist,
        onLocked: async () => {
          locked();
          await held;
        },
      }),
    );
    await isLocked;
    const io = captureIo({ cwd: fx.cwd });
    const code = await runCli(
      [
        'daily',
        '--artifacts-dir',
        passedRun,
        '--runs-dir',
        runsDir,
        '--no-persist-scores',
        '--days-back',
        '3',
      ],
      io,
    );
    expect(code).toBe(5);
    expect(io.err()).toContain('daily.locked');
    expect(io.err()).toContain(`pid ${process.pid} on ${hostname()}`);
    release();
    const r = await first;
    expect(calls).toHaveLength(1);
    expect(calls[0]!.command).toBe('daily');
    expect(calls[0]!.predictionsCsv).toBe(join(r.predict!.dir, 'predictions.csv'));
    expect(r.persisted).toEqual({ inserted: 3, updated: 1 });
    expect(existsSync(lockPath(runsDir))).toBe(false);
  });

  it('when the lock holder is gone then the lock is reported stale and taken over', async () => {
    const runsDir = 'tmp/runs-stale';
    await mkdir(join(fx.cwd, runsDir), { recursive: true });
    const pid = deadPid();
    await writeFile(
      lockPath(runsDir),
      JSON.stringify({
        pid,
        host: hostname(),
        started_at_utc: new Date().toISOString(),
        command: 'daily --mode predict',
        target: 'none',
      }),
    );
    const r = await runDaily(options(runsDir));
    expect(r.lock.tookOver?.holder?.pid).toBe(pid);
    expect(r.lock.tookOver?.reason).toContain(`process ${pid}`);
    expect(existsSync(lockPath(runsDir))).toBe(false);
  });

  it('when a live lock on another host is older than the maximum age then it is taken over, and a fresh one is not', async () => {
    const runsDir = 'tmp/runs-age';
    await mkdir(join(fx.cwd, runsDir), { recursive: true });
    const holder = (t: Date) =>
      JSON.stringify({
        pid: 1,
        host: 'elsewhere',
        started_at_utc: t.toISOString(),
        command: 'daily',
        target: 'none',
      });
    await writeFile(lockPath(runsDir), holder(new Date()));
    const err = await runDaily(options(runsDir)).catch((e: unknown) => e);
    expect(isLeadliftError(err, 'daily.locked')).toBe(true);
    expect((err as { exitCode: number }).exitCode).toBe(5);
    expect(JSON.parse(readFileSync(lockPath(runsDir), 'utf8')).host).toBe('elsewhere');

    await writeFile(lockPath(runsDir), holder(new Date(Date.now() - 13 * 3_600_000)));
    const r = await runDaily(options(runsDir));
    expect(r.lock.tookOver?.reason).toMatch(/13\.0 h old/);
  });

  it('when a job crashes before its run folder is renamed then no finished-looking folder remains and the next job clears it', async () => {
    const runsDir = 'tmp/runs-crash';
    const err = await runDaily(
      options(runsDir, {
        beforeRename: () => {
          throw new Error('simulated crash');
        },
      }),
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('simulated crash');
    expect(existsSync(lockPath(runsDir))).toBe(false);
    const abs = join(fx.cwd, runsDir);
    expect((await readdir(abs)).filter((n) => n.startsWith('daily-'))).toEqual([]);

    // A process killed mid-write leaves its temporary folder; a later job removes it.
    const dead = `daily-20260101T000000Z.tmp-${deadPid()}`;
    await mkdir(join(abs, dead));
    await writeFile(join(abs, dead, 'predictions.csv'), 'org_id,enrollment_id\n1,2\n');
    const r = await runDaily(options(runsDir));
    expect(r.removedTemp).toEqual([dead]);
    const left = (await readdir(abs)).filter((n) => n.startsWith('daily-'));
    expect(left).toEqual([r.predict!.runName]);
    expect(existsSync(join(abs, left[0]!, 'manifest.json'))).toBe(true);
  });

  it('when the serving model failed its gates then scores are not persisted and it exits 3', async () => {
    let called = 0;
    const err = await runDaily(
      options('tmp/runs-gate', {
        artifactsDir: fx.runDir,
        persist: async () => {
          called++;
          return { inserted: 0, updated: 0 };
        },
      }),
    ).catch((e: unknown) => e);
    const gates = JSON.parse(await readFile(join(fx.runDir, 'metrics.json'), 'utf8')).gates;
    expect(gates.passed).toBe(false);
    expect(isLeadliftError(err, 'daily.gateFailed')).toBe(true);
    expect((err as { exitCode: number }).exitCode).toBe(3);
    expect(called).toBe(0);
  });

  it('when mode is train then a candidate run is written and the serving folder is untouched', async () => {
    const hashAll = async (dir: string) => {
      const out: Record<string, string> = {};
      for (const f of (await readdir(dir)).sort()) {
        out[f] = createHash('sha256')
          .update(await readFile(join(dir, f)))
          .digest('hex');
      }
      return out;
    };
    const before = await hashAll(passedRun);
    const r = await runDaily(options('tmp/runs-train', { mode: 'train' }));
    expect(await hashAll(passedRun)).toEqual(before);
    expect(r.candidate!.runName).toMatch(/^candidate-/);
    expect(existsSync(join(r.candidate!.dir, 'model.json'))).toBe(true);
    expect(r.candidate!.dir.startsWith(join(fx.cwd, 'tmp/runs-train'))).toBe(true);
    const audit = readFileSync(join(fx.cwd, 'tmp/audit/audit.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(audit.at(-1)!).command).toBe('daily');
  });

  it('when the config sets train options then the candidate run is trained and gated with them', async () => {
    const base = options('tmp/runs-train-config', { mode: 'train' });
    const config = configSchema.parse({
      runsDir: 'tmp/runs-train-config',
      train: { gates: { prAucRelative: 50, brierRelative: 0.5 }, recentCheck: false },
    });
    const r = await runDaily({ ...base, config });
    const metrics = JSON.parse(await readFile(join(r.candidate!.dir, 'metrics.json'), 'utf8'));
    expect(metrics.gates.config.rules.map((g: { relative: number }) => g.relative)).toEqual([50, 0.5]);
    expect(metrics.gates.passed).toBe(false);
    expect(metrics.split.recent_check).toBe(false);
  });

  it('when persisting is on then the CLI job writes the scored rows into the target score table', async () => {
    const target = `sqlite:${join(fx.cwd, 'tmp/daily-scores.sqlite')}`;
    const io = captureIo({ cwd: fx.cwd });
    expect(await runCli(['scores-table', '--create', '--target-url', target], io)).toBe(0);
    const code = await runCli(
      [
        'daily',
        '--artifacts-dir',
        passedRun,
        '--runs-dir',
        'tmp/runs-cli',
        '--since',
        fx.since,
        '--until',
        fx.until,
        '--target-url',
        target,
        '--json',
      ],
      io,
    );
    expect(code, io.err()).toBe(0);
    const db = new Database(join(fx.cwd, 'tmp/daily-scores.sqlite'), { readonly: true });
    const rows = db
      .prepare('SELECT count(*) AS n, count(DISTINCT run_name) AS runs FROM dbo_lead_scores')
      .get() as {
      n: number;
      runs: number;
    };
    db.close();
    expect(rows.n).toBeGreaterThan(0);
    expect(rows.runs).toBe(1);
    expect(existsSync(join(fx.cwd, 'tmp/runs-cli', `${lockName()}.lock`))).toBe(false);
  });

  it('when persisting is on without a target URL then the CLI refuses before taking the lock', async () => {
    const io = captureIo({ cwd: fx.cwd });
    const code = await runCli(['daily', '--artifacts-dir', passedRun, '--runs-dir', 'tmp/runs-notarget'], io);
    expect(code).toBe(2);
    expect(io.err()).toContain('scores.noTarget');
    expect(existsSync(join(fx.cwd, 'tmp/runs-notarget'))).toBe(false);
  });

  it('when --mode is misspelt then exit 2 suggests the mode', async () => {
    const io = captureIo({ cwd: fx.cwd });
    expect(await runCli(['daily', '--artifacts-dir', passedRun, '--mode', 'trian'], io)).toBe(2);
    expect(io.err()).toContain('did you mean train');
  });

  it('when a job runs then it listens for SIGINT and SIGTERM only while it holds the lock', async () => {
    const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
    const during: number[] = [];
    await runDaily(
      options('tmp/runs-signals', {
        handleSignals: true,
        onLocked: () => {
          during.push(process.listenerCount('SIGINT'), process.listenerCount('SIGTERM'));
        },
      }),
    );
    expect(during).toEqual([before.int + 1, before.term + 1]);
    expect(process.listenerCount('SIGINT')).toBe(before.int);
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
  });

  it('when mode train reads a training-examples query then other target columns are left out and both reads are audited', async () => {
    const csv = parseCsv(
      await readFile(join(fx.runDir, 'training_examples.csv'), 'utf8'),
      'training_examples.csv',
    );
    const keep = csv.header.map((_h, j) => j).filter((j) => csv.header[j] !== 'split');
    const file = join(fx.cwd, 'tmp/gold.sqlite');
    const db = new Database(file);
    const cols = [...keep.map((j) => csv.header[j]!), 'qualified_within_14d'];
    db.exec(`CREATE TABLE gold (${cols.map((c) => `"${c}"`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO gold VALUES (${cols.map(() => '?').join(', ')})`);
    for (let i = 0; i < csv.nRows; i++) insert.run(...keep.map((j) => csv.columns[j]![i]!), i % 2);
    db.close();
    await writeFile(join(fx.cwd, 'tmp/gold.sql'), 'SELECT * FROM gold');
    const base = options('tmp/runs-query', { mode: 'train', trainingExamplesQueryFile: 'tmp/gold.sql' });
    const r = await runDaily({ ...base, config: { ...base.config, sourceUrl: `sqlite:${file}` } });
    const model = JSON.parse(await readFile(join(r.candidate!.dir, 'model.json'), 'utf8'));
    const serving = JSON.parse(await readFile(join(passedRun, 'model.json'), 'utf8'));
    expect(model.feature_cols).toEqual(serving.feature_cols);
    expect(model.feature_cols).not.toContain('qualified_within_14d');
    const audit = readFileSync(join(fx.cwd, 'tmp/audit/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.run === r.candidate!.runName);
    expect(audit.map((e) => [e.command, e.action, e.outcome])).toEqual([
      ['daily', 'read', 'ok'],
      ['daily', 'read', 'ok'],
    ]);
    expect(audit[1].rowsRead).toBe(csv.nRows);
  });
});

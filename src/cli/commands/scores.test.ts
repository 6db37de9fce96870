// Tests of `leadlift scores-table`, `persist-scores` and `rollback-scores` through runCli,
// on SQLite: every bad input gets its code, exit code and no write.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTarget } from '../../db/index.js';
import { scoresDdlFileText } from '../../scores/index.js';
import { writeTestRun } from '../../scores/test-run.js';
import { captureIo } from '../io.js';
import { runCli } from '../run.js';

const TABLE = '"dbo_lead_scores"';

/** A folder with the score tables created in scores.sqlite and one good run. */
async function setup() {
  const cwd = mkdtempSync(join(tmpdir(), 'leadlift-scores-cli-'));
  const env = {
    LEADLIFT_TARGET_URL: 'sqlite:scores.sqlite',
    LEADLIFT_AUDIT_LOG: 'audit.jsonl',
    LEADLIFT_ACTOR: 'test',
  };
  const io = captureIo({ cwd, env });
  expect(await runCli(['scores-table', '--create'], io)).toBe(0);
  const run = writeTestRun(cwd, { runName: 'good', n: 20 });
  return { cwd, env, run };
}

async function tableRows(cwd: string, table = TABLE): Promise<number> {
  const t = await openTarget('sqlite:scores.sqlite', { cwd });
  try {
    return Number((await t.query(`SELECT COUNT(*) AS n FROM ${table}`))[0]!.n);
  } finally {
    await t.close();
  }
}

/** Rewrites a test run's predictions.csv and its hash in manifest.json (an edit the run itself made). */
function rehash(cwd: string, run: string, text: string): void {
  writeFileSync(join(cwd, run, 'predictions.csv'), text);
  const path = join(cwd, run, 'manifest.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  manifest.files['predictions.csv'] = createHash('sha256').update(text).digest('hex');
  writeFileSync(path, JSON.stringify(manifest));
}

const auditLines = (cwd: string) =>
  readFileSync(join(cwd, 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('leadlift scores-table', () => {
  it('when printed for each dialect then the output is the committed DDL file', async () => {
    for (const d of ['sqlite', 'postgres', 'mssql'] as const) {
      const io = captureIo({ cwd: tmpdir() });
      expect(await runCli(['scores-table', '--print', '--dialect', d], io)).toBe(0);
      expect(io.out()).toBe(scoresDdlFileText(d));
    }
  });

  it('when --create runs twice then both succeed and each is audited as create-table', async () => {
    const { cwd, env } = await setup();
    expect(await runCli(['scores-table', '--create'], captureIo({ cwd, env }))).toBe(0);
    const entries = auditLines(cwd).filter((e) => e.action === 'create-table');
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.outcome === 'ok' && e.table === 'dbo.lead_scores')).toBe(true);
  });
});

describe('leadlift persist-scores', () => {
  it('when a good run is persisted then rows are written, reported in JSON and audited without PII', async () => {
    const { cwd, env, run } = await setup();
    const io = captureIo({ cwd, env });
    const code = await runCli(
      [
        '--json',
        'persist-scores',
        '--predictions-csv',
        run.predictionsCsv,
        '--metrics-json',
        run.metricsJson,
      ],
      io,
    );
    expect(code).toBe(0);
    const out = JSON.parse(io.out());
    expect(out).toMatchObject({
      ok: true,
      run: 'good',
      selected: 5,
      inserted: 5,
      updated: 0,
      rowsBySplit: { test: 5 },
    });
    expect(await tableRows(cwd)).toBe(5);
    const write = auditLines(cwd).find((e) => e.action === 'write')!;
    expect(write).toMatchObject({ command: 'persist-scores', outcome: 'ok', rowsWritten: 5, run: 'good' });
    expect(JSON.stringify(write)).not.toContain('eng_score');
  });

  it('when --dry-run is given then counts are printed, nothing is written and the dry run is audited', async () => {
    const { cwd, env, run } = await setup();
    const io = captureIo({ cwd, env });
    const args = [
      'persist-scores',
      '--predictions-csv',
      run.predictionsCsv,
      '--metrics-json',
      run.metricsJson,
    ];
    expect(await runCli([...args, '--dry-run', '--split', 'all'], io)).toBe(0);
    expect(io.out()).toContain('20 would be inserted, 0 would be updated');
    expect(io.out()).toMatch(/train\s+10/);
    expect(await tableRows(cwd)).toBe(0);
    expect(auditLines(cwd).some((e) => e.action === 'dry-run' && e.outcome === 'ok')).toBe(true);
    const off = captureIo({ cwd, env: { LEADLIFT_AUDIT_LOG: 'audit.jsonl' } });
    expect(await runCli([...args, '--dry-run', '--offline'], off)).toBe(0);
    expect(off.out()).toContain('offline');
  });

  const bad: [
    string,
    (cwd: string) => { predictionsCsv: string; metricsJson: string },
    number,
    string,
    string,
  ][] = [
    [
      'a predictions file lacks columns',
      (cwd) =>
        writeTestRun(cwd, {
          runName: 'cols',
          n: 4,
          columns: ['org_id', 'enrollment_id', 'label_col', 'score'],
        }),
      2,
      'scores.missingColumns',
      '"split", "in_sample", "rank", "decile", "reasons"',
    ],
    [
      'scores are NaN or out of range',
      (cwd) =>
        writeTestRun(cwd, { runName: 'nan', n: 8, score: (k) => (k === 3 ? 'NaN' : k === 7 ? 1.5 : 0.5) }),
      2,
      'scores.badValues',
      '2 rows have a score that is missing, NaN or outside 0..1 (lines 5, 9)',
    ],
    [
      'label_col differs from metrics.json',
      (cwd) => {
        const r = writeTestRun(cwd, { runName: 'label', n: 4 });
        const text = readFileSync(r.predictionsCsv, 'utf8').replace(
          ',booked_call_within_7d,',
          ',qualified_within_14d,',
        );
        rehash(cwd, 'label', text);
        return r;
      },
      2,
      'scores.badValues',
      '1 row have a label_col other than "booked_call_within_7d"',
    ],
    [
      'an id is not an integer',
      (cwd) => {
        const r = writeTestRun(cwd, { runName: 'ids', n: 4 });
        const lines = readFileSync(r.predictionsCsv, 'utf8').split('\n');
        lines[2] = lines[2]!.replace(/^(\d+),(\d+),/, '$1,12.5,');
        rehash(cwd, 'ids', lines.join('\n'));
        return r;
      },
      2,
      'scores.badValues',
      'not an integer id (lines 3)',
    ],
    [
      'a split value is unknown',
      (cwd) => writeTestRun(cwd, { runName: 'split', n: 4, split: (k) => (k === 1 ? 'holdout' : 'test') }),
      2,
      'scores.badValues',
      'unknown split value ("holdout")',
    ],
    [
      'metrics.json comes from another run',
      (cwd) => {
        const a = writeTestRun(cwd, { runName: 'one', n: 4 });
        const b = writeTestRun(cwd, { runName: 'two', n: 4, labelCol: 'qualified_within_14d' });
        return { predictionsCsv: a.predictionsCsv, metricsJson: b.metricsJson };
      },
      2,
      'scores.runMismatch',
      'does not match the sha256 recorded in',
    ],
    [
      'predictions.csv was edited after the run',
      (cwd) => writeTestRun(cwd, { runName: 'tampered', n: 4, tamper: true }),
      2,
      'scores.runMismatch',
      '(predictions.csv) does not match',
    ],
    [
      'a run failed its gates',
      (cwd) => writeTestRun(cwd, { runName: 'gated', n: 8, gatesPassed: false }),
      3,
      'scores.gateFailed',
      '--force --reason',
    ],
  ];
  for (const [what, make, exit, code, text] of bad) {
    it(`when ${what} then it exits ${exit} with ${code} and writes nothing`, async () => {
      const { cwd, env } = await setup();
      const run = make(cwd);
      const io = captureIo({ cwd, env });
      const got = await runCli(
        ['persist-scores', '--predictions-csv', run.predictionsCsv, '--metrics-json', run.metricsJson],
        io,
      );
      expect(io.err()).toContain(`[${code}]`);
      expect(io.err()).toContain(text);
      expect(got).toBe(exit);
      expect(await tableRows(cwd)).toBe(0);
    });
  }

  it('when keys repeat then the count and one example key are named, and nothing is written', async () => {
    const { cwd, env } = await setup();
    const run = writeTestRun(cwd, { runName: 'dups', n: 6 });
    const text = readFileSync(run.predictionsCsv, 'utf8').trimEnd().split('\n');
    // Duplicate line 2's key on the last line, keeping the manifest hash in step.
    const last = text[text.length - 1]!.split(',');
    const first = text[1]!.split(',');
    last[0] = first[0]!;
    last[1] = first[1]!;
    text[text.length - 1] = last.join(',');
    const edited = `${text.join('\n')}\n`;
    rehash(cwd, 'dups', edited);
    const io = captureIo({ cwd, env });
    const args = [
      'persist-scores',
      '--predictions-csv',
      run.predictionsCsv,
      '--metrics-json',
      run.metricsJson,
    ];
    expect(await runCli(args, io)).toBe(2);
    expect(io.err()).toContain('[scores.duplicateKeys]');
    expect(io.err()).toContain(
      `1 row repeating an (org_id, enrollment_id, label_col) key, e.g. org_id ${first[0]}, enrollment_id ${first[1]}`,
    );
    expect(await tableRows(cwd)).toBe(0);
  });

  it('when a failed run is forced with a reason then it is written and the reason is in the history and audit log', async () => {
    const { cwd, env } = await setup();
    const run = writeTestRun(cwd, { runName: 'gated', n: 8, gatesPassed: false });
    const args = [
      'persist-scores',
      '--predictions-csv',
      run.predictionsCsv,
      '--metrics-json',
      run.metricsJson,
    ];
    const noReason = captureIo({ cwd, env });
    expect(await runCli([...args, '--force'], noReason)).toBe(2);
    expect(noReason.err()).toContain('[scores.forceWithoutReason]');
    const io = captureIo({ cwd, env });
    expect(await runCli([...args, '--force', '--reason', 'ops approved ticket 42'], io)).toBe(0);
    const t = await openTarget('sqlite:scores.sqlite', { cwd });
    const h = await t.query('SELECT forced, force_reason FROM "dbo_lead_scores_history"');
    await t.close();
    expect(h).toHaveLength(2);
    expect(h.every((r) => r.forced === 1 && r.force_reason === 'ops approved ticket 42')).toBe(true);
    const w = auditLines(cwd).find((e) => e.action === 'write')!;
    expect(w.details).toMatchObject({ forced: true, force_reason: 'ops approved ticket 42' });
  });

  it('when --split is unknown then it exits 2 naming the allowed values', async () => {
    const { cwd, env, run } = await setup();
    const io = captureIo({ cwd, env });
    const args = [
      'persist-scores',
      '--predictions-csv',
      run.predictionsCsv,
      '--metrics-json',
      run.metricsJson,
    ];
    expect(await runCli([...args, '--split', 'tset'], io)).toBe(2);
    expect(io.err()).toContain('test, train, all');
    expect(io.err()).toContain('Did you mean test?');
  });

  it('when the database is unreachable then it exits 4 and writes nothing', async () => {
    const { cwd, env, run } = await setup();
    const io = captureIo({ cwd, env });
    const args = [
      'persist-scores',
      '--predictions-csv',
      run.predictionsCsv,
      '--metrics-json',
      run.metricsJson,
    ];
    expect(
      await runCli([...args, '--target-url', 'postgres://leadlift:s3cret-pw@127.0.0.1:1/nothing'], io),
    ).toBe(4);
    expect(io.err()).toContain('[db.unreachable]');
    expect(io.err()).not.toContain('s3cret-pw');
    const error = auditLines(cwd).filter((e) => e.action === 'write');
    expect(error).toHaveLength(0);
  });

  it('when the tables are missing then it exits 4 telling to run scores-table --create', async () => {
    const { cwd, env, run } = await setup();
    const io = captureIo({ cwd, env });
    const args = [
      'persist-scores',
      '--predictions-csv',
      run.predictionsCsv,
      '--metrics-json',
      run.metricsJson,
    ];
    expect(await runCli([...args, '--table', 'other.scores'], io)).toBe(4);
    expect(io.err()).toContain('[scores.tableMissing]');
    expect(io.err()).toContain('leadlift scores-table --create');
  });

  it('when the target is the source database then it is refused unless it is the demo database', async () => {
    const { cwd, env, run } = await setup();
    const io = captureIo({ cwd, env: { ...env, LEADLIFT_SOURCE_URL: 'sqlite:scores.sqlite' } });
    const args = [
      'persist-scores',
      '--predictions-csv',
      run.predictionsCsv,
      '--metrics-json',
      run.metricsJson,
    ];
    expect(await runCli(args, io)).toBe(2);
    expect(io.err()).toContain('[scores.targetIsSource]');
    // The demo marker table makes it the embedded demo database: allowed.
    const t = await openTarget('sqlite:scores.sqlite', { cwd });
    await t.execute([
      'CREATE TABLE "dbo_leadlift_demo_info" (name TEXT, value TEXT)',
      `INSERT INTO "dbo_leadlift_demo_info" VALUES ('generator', 'leadlift-demo')`,
    ]);
    await t.close();
    const ok = captureIo({ cwd, env: { ...env, LEADLIFT_SOURCE_URL: 'sqlite:scores.sqlite' } });
    expect(await runCli(args, ok)).toBe(0);
    expect(await tableRows(cwd)).toBe(5);
    const server = captureIo({
      cwd,
      env: {
        ...env,
        LEADLIFT_SOURCE_URL: 'postgres://reader@db.example:5432/crm',
        LEADLIFT_TARGET_URL: 'postgres://reader@DB.example/crm_scores',
      },
    });
    expect(await runCli(args, server)).toBe(2);
    expect(server.err()).toContain('[scores.targetIsSource]');
    // The same database with the writer's own login is where the score tables belong.
    const own = captureIo({
      cwd,
      env: {
        ...env,
        LEADLIFT_SOURCE_URL: 'postgres://reader@127.0.0.1:1/crm',
        LEADLIFT_TARGET_URL: 'postgres://scores_writer@127.0.0.1:1/crm',
      },
    });
    expect(await runCli(args, own)).toBe(4);
    expect(own.err()).not.toContain('[scores.targetIsSource]');
  });
});

describe('leadlift rollback-scores', () => {
  it('when rolled back then the earlier run is restored; an unknown run exits 2 listing the known ones', async () => {
    const { cwd, env, run } = await setup();
    const args = (r: { predictionsCsv: string; metricsJson: string }) => [
      'persist-scores',
      '--predictions-csv',
      r.predictionsCsv,
      '--metrics-json',
      r.metricsJson,
    ];
    expect(await runCli(args(run), captureIo({ cwd, env }))).toBe(0);
    const later = writeTestRun(cwd, { runName: 'later', n: 20, score: () => 0.5 });
    expect(await runCli(args(later), captureIo({ cwd, env }))).toBe(0);
    const io = captureIo({ cwd, env });
    expect(await runCli(['--json', 'rollback-scores', '--to-run', 'good'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ keys: 5, updated: 5, inserted: 0 });
    const t = await openTarget('sqlite:scores.sqlite', { cwd });
    const runs = await t.query(`SELECT DISTINCT run_name FROM ${TABLE}`);
    await t.close();
    expect(runs.map((r) => r.run_name)).toEqual(['good']);
    const bad = captureIo({ cwd, env });
    expect(await runCli(['rollback-scores', '--to-run', 'gone'], bad)).toBe(2);
    expect(bad.err()).toContain('[scores.unknownRun]');
    expect(bad.err()).toContain('later, good');
    expect(
      auditLines(cwd)
        .filter((e) => e.action === 'rollback')
        .map((e) => e.outcome),
    ).toEqual(['ok', 'error']);
    // The extraction source (not the demo database) is never written, by rollback either.
    const source = captureIo({ cwd, env: { ...env, LEADLIFT_SOURCE_URL: 'sqlite:scores.sqlite' } });
    expect(await runCli(['rollback-scores', '--to-run', 'good'], source)).toBe(2);
    expect(source.err()).toContain('[scores.targetIsSource]');
  });
});

// `npm run bench:persist`: persist-scores throughput on 100k rows, on SQLite and (when
// LEADLIFT_TEST_PG_URL names a server) PostgreSQL: an insert pass into empty tables, an
// update pass (another run, every score changed) and a repeat pass (nothing changes).
// The peer, measured in the same run, is the adapter's plain bulk insert of the same rows
// into a table without key or history. Usage: npm run bench:persist -- [--rows 100000]

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '../config/schema.js';
import { openTarget } from '../db/index.js';
import { importDriver } from '../db/stream.js';
import { createScoresTables, persistScores } from '../scores/index.js';
import { readRunScores, STAGE_COLUMNS } from '../scores/run-input.js';
import { writeTestRun } from '../scores/test-run.js';
import { formatRecords } from '../text-table.js';

const args = process.argv.slice(2);
const rowsArg = args[args.indexOf('--rows') + 1];
const N = args.includes('--rows') && rowsArg ? Number(rowsArg) : 100_000;
const PG_URL = process.env.LEADLIFT_TEST_PG_URL;

interface Line {
  readonly dialect: string;
  readonly pass: string;
  readonly rows: string;
  readonly inserted: string;
  readonly updated: string;
  readonly seconds: string;
  readonly 'rows/s': string;
  readonly 'vs plain insert': string;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function bench(dialect: string, url: string, cwd: string): Promise<Line[]> {
  const config = configSchema.parse({ targetUrl: url, auditLog: 'audit.jsonl' });
  const env = { LEADLIFT_ACTOR: 'bench' };
  await createScoresTables({ config, cwd, env, createFile: true });
  const test = () => 'test';
  const a = writeTestRun(cwd, { runName: 'bench-a', n: N, split: test });
  const b = writeTestRun(cwd, {
    runName: 'bench-b',
    n: N,
    split: test,
    score: (k) => ((k * 104_729) % 1000) / 1000,
  });

  // Peer: the same rows bulk-inserted into a plain table (no key, no history, no staging).
  const target = await openTarget(url, { cwd });
  const cols = STAGE_COLUMNS.map((c) => `${target.hooks.quoteIdent(c)} ${c === 'score' ? 'float8' : 'text'}`);
  await target.execute([`CREATE TABLE bench_plain (${cols.join(', ')})`]);
  const rows = Array.from({ length: N }, (_, k) => [
    1 + (k % 3),
    k + 1,
    'booked_call_within_7d',
    0.5,
    k + 1,
    1 + (k % 10),
    'eng_score high (+0.1)',
    'test',
    'sha256:0123456789abcdef',
    'bench-a',
    '/x/model.json',
    '/x/scaler.json',
    '2026-03-01T06:15:00.000Z',
  ]);
  const t0 = performance.now();
  await target.insertRows('bench_plain', STAGE_COLUMNS, rows);
  const plainS = (performance.now() - t0) / 1000;
  await target.close();

  const out: Line[] = [
    {
      dialect,
      pass: 'plain insert (peer)',
      rows: fmt(N),
      inserted: '-',
      updated: '-',
      seconds: plainS.toFixed(2),
      'rows/s': fmt(N / plainS),
      'vs plain insert': '1.00',
    },
  ];
  // The share of each pass spent before the database: reading and checking the run files.
  const r0 = performance.now();
  await readRunScores({ ...a, split: 'test', cwd });
  const readS = (performance.now() - r0) / 1000;
  out.push({
    dialect,
    pass: 'read + check only',
    rows: fmt(N),
    inserted: '-',
    updated: '-',
    seconds: readS.toFixed(2),
    'rows/s': fmt(N / readS),
    'vs plain insert': (readS / plainS).toFixed(2),
  });
  for (const [pass, run] of [
    ['insert', a],
    ['update', b],
    ['repeat', b],
  ] as const) {
    const t = performance.now();
    const r = await persistScores({ config, cwd, env, ...run });
    const s = (performance.now() - t) / 1000;
    out.push({
      dialect,
      pass,
      rows: fmt(r.selected),
      inserted: fmt(r.inserted ?? 0),
      updated: fmt(r.updated ?? 0),
      seconds: s.toFixed(2),
      'rows/s': fmt(r.selected / s),
      'vs plain insert': (s / plainS).toFixed(2),
    });
  }
  return out;
}

async function main(): Promise<void> {
  const lines: Line[] = [];
  const cwd = mkdtempSync(join(tmpdir(), 'leadlift-bench-persist-'));
  try {
    lines.push(...(await bench('sqlite', 'sqlite:bench.sqlite', cwd)));
    if (PG_URL) {
      const pg = await importDriver<typeof import('pg')>('pg', 'PostgreSQL');
      const name = `leadlift_b_${randomBytes(6).toString('hex')}`;
      const admin = async (sql: string) => {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      };
      await admin(`CREATE DATABASE ${name}`);
      const u = new URL(PG_URL);
      u.pathname = `/${name}`;
      try {
        lines.push(...(await bench('postgres', u.toString(), cwd)));
      } finally {
        await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    } else {
      process.stdout.write('PostgreSQL skipped: LEADLIFT_TEST_PG_URL is not set.\n');
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  process.stdout.write(
    `persist-scores throughput, ${fmt(N)} rows per pass (times include reading and checking the run files; target ≥ 20,000 rows/s)\n`,
  );
  process.stdout.write(`${formatRecords(lines as unknown as Record<string, string>[])}\n`);
}

await main();

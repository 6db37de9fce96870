// Tests of `leadlift demo-db` through runCli.

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSource } from '../../db/index.js';
import type { DemoTruth } from '../../demo/truth.js';
import { captureIo } from '../io.js';
import { runCli } from '../run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'leadlift-demo-db-'));

describe('leadlift demo-db', () => {
  it('when run with defaults then it writes the SQLite file and its truth under tmp/demo and exits 0', async () => {
    const cwd = tmp();
    const io = captureIo({ cwd });
    expect(await runCli(['--quiet', 'demo-db', '--enrollments', '400'], io)).toBe(0);
    const db = join(cwd, 'tmp/demo/agent-cory.sqlite');
    const truthFile = join(cwd, 'tmp/demo/agent-cory.truth.json');
    expect(existsSync(db)).toBe(true);
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as DemoTruth;
    expect(truth.generator).toBe('leadlift-demo');
    expect(truth.options.enrollments).toBe(400);
    expect(readdirSync(join(cwd, 'tmp/demo')).sort()).toEqual(['agent-cory.sqlite', 'agent-cory.truth.json']);
    expect(io.out()).toContain('slot_offer_first_touch');
    expect(io.out()).toContain(truthFile);
    // Readable as a source, as extract will read it.
    const source = await openSource('sqlite:tmp/demo/agent-cory.sqlite', { cwd });
    try {
      const rows: unknown[] = [];
      for await (const r of source.stream('SELECT COUNT(*) AS n FROM "education_campaign_enrollments"', {}))
        rows.push(r);
      expect(rows).toEqual([{ n: 400 }]);
    } finally {
      await source.close();
    }
  });

  it('when the file exists then it exits 2 naming the file and --force, and --force replaces it', async () => {
    const cwd = tmp();
    expect(
      await runCli(['--quiet', 'demo-db', '--enrollments', '100', '--out', 'a.sqlite'], captureIo({ cwd })),
    ).toBe(0);
    const io = captureIo({ cwd });
    expect(await runCli(['demo-db', '--enrollments', '100', '--out', 'a.sqlite'], io)).toBe(2);
    expect(io.err()).toContain(join(cwd, 'a.sqlite'));
    expect(io.err()).toContain('--force');
    expect(io.err()).toContain('[demo.outputExists]');
    const again = captureIo({ cwd });
    expect(
      await runCli(
        ['--json', 'demo-db', '--enrollments', '150', '--out', 'a.sqlite', '--force', '--seed', '9'],
        again,
      ),
    ).toBe(0);
    const summary = JSON.parse(again.out());
    expect(summary).toMatchObject({
      ok: true,
      seed: 9,
      database: join(cwd, 'a.sqlite'),
      truth: join(cwd, 'a.truth.json'),
    });
    expect(summary.sizes['education.campaign_enrollments']).toBe(150);
    expect(summary.effects.map((e: { kind: string }) => e.kind)).toContain('step_order');
  });

  it('when --truth is given then the truth goes there', async () => {
    const cwd = tmp();
    expect(
      await runCli(
        ['--quiet', 'demo-db', '--enrollments', '100', '--out', 'x.db', '--truth', 'out/t.json'],
        captureIo({ cwd }),
      ),
    ).toBe(0);
    expect(existsSync(join(cwd, 'out/t.json'))).toBe(true);
    expect(existsSync(join(cwd, 'x.db'))).toBe(true);
  });

  it('when a flag is out of range then it exits 2 with demo.badFlag naming the flag, value and range', async () => {
    const cases: [string[], string][] = [
      [['--enrollments', '0'], '--enrollments "0"'],
      [['--enrollments', 'lots'], '--enrollments "lots"'],
      [['--seed', '-3'], '--seed "-3"'],
      [['--orgs', '100'], '1 to 40'],
      [['--start', '2025-02-30'], '--start "2025-02-30"'],
      [['--days', '2'], '7 to 3650'],
    ];
    for (const [flags, text] of cases) {
      const cwd = tmp();
      const io = captureIo({ cwd });
      expect(await runCli(['demo-db', ...flags], io), flags.join(' ')).toBe(2);
      expect(io.err()).toContain(text);
      expect(io.err()).toContain('[demo.badFlag]');
      expect(existsSync(join(cwd, 'tmp'))).toBe(false);
    }
  });

  it('when --json and a bad flag are given then the error is printed as JSON with its code', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['--json', 'demo-db', '--orgs', '0'], io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ ok: false, error: { code: 'demo.badFlag' } });
  });

  it('when both --out and --target-url are given then it exits 2', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['demo-db', '--out', 'a.sqlite', '--target-url', 'sqlite:b.sqlite'], io)).toBe(2);
    expect(io.err()).toContain('[demo.badFlag]');
  });

  it('when the write fails then no file is left behind', async () => {
    const cwd = tmp();
    // A folder where the temporary file would go makes the SQLite open fail.
    writeFileSync(join(cwd, 'blocker'), 'not a folder');
    const io = captureIo({ cwd });
    expect(
      await runCli(['--quiet', 'demo-db', '--enrollments', '100', '--out', 'blocker/demo.sqlite'], io),
    ).not.toBe(0);
    expect(readdirSync(cwd)).toEqual(['blocker']);
  });

  it('when --help is asked then every flag is described', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['demo-db', '--help'], io)).toBe(0);
    for (const f of [
      '--out',
      '--target-url',
      '--seed',
      '--enrollments',
      '--orgs',
      '--start',
      '--days',
      '--truth',
      '--force',
    ]) {
      expect(io.out()).toContain(f);
    }
  });
});

import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTarget } from '../../db/index.js';
import { captureIo } from '../io.js';
import { runCli } from '../run.js';

describe('quickstart (command)', () => {
  it('when run twice in an empty folder then it builds the demo DB once and runs extract, check and clean', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'leadlift-quickstart-'));
    const first = captureIo({ cwd });
    expect(await runCli(['quickstart', '--enrollments', '300', '--quiet'], first)).toBe(0);
    expect(first.out()).toContain('(built;');
    expect(first.out()).toMatch(/quality\s+passed/);
    expect(existsSync(join(cwd, 'tmp/demo/agent-cory.sqlite'))).toBe(true);
    expect(existsSync(join(cwd, 'tmp/demo/agent-cory.truth.json'))).toBe(true);
    const snapshots = readdirSync(join(cwd, 'tmp/snapshots'));
    expect(snapshots).toHaveLength(1);
    expect(existsSync(join(cwd, 'tmp/cleaned', snapshots[0]!, 'clean.json'))).toBe(true);
    expect(first.out()).toMatch(/booked_call_within_7d: (logreg|gbt) selected/);
    expect(first.out()).toMatch(/test PR-AUC 0\.\d{3} \[/);
    expect(existsSync(join(cwd, 'tmp/runs', snapshots[0]!, 'metrics.json'))).toBe(true);
    expect(existsSync(join(cwd, 'tmp/runs', snapshots[0]!, 'predictions.csv'))).toBe(true);

    const second = captureIo({ cwd });
    expect(await runCli(['quickstart', '--json'], second)).toBe(0);
    const summary = JSON.parse(second.out()) as {
      ok: boolean;
      demo: { reused: boolean };
      cleaned: unknown;
      runs: { target: string; gates: { passed: boolean } }[];
      scores: { selected: number; table: string; run: string; forced: boolean } | null;
      predict: { dir: string; scored: number; labeled: number } | null;
      recommendations: { markdown: string; top: unknown[] } | null;
    };
    expect(summary.ok).toBe(true);
    expect(summary.runs.map((r) => r.target)).toEqual(['booked_call_within_7d']);
    expect(summary.demo.reused).toBe(true);
    expect(summary.cleaned).not.toBeNull();
    expect(readdirSync(join(cwd, 'tmp/snapshots'))).toHaveLength(2);
    // Scores land in the demo DB's lead_scores, forced (and recorded so) when the gates failed.
    expect(summary.scores!.selected).toBeGreaterThan(0);
    expect(summary.scores!.forced).toBe(!summary.runs[0]!.gates.passed);
    const db = await openTarget('sqlite:tmp/demo/agent-cory.sqlite', { cwd });
    const rows = await db.query('SELECT run_name, COUNT(*) AS n FROM "dbo_lead_scores" GROUP BY run_name');
    const forced = await db.query('SELECT DISTINCT forced FROM "dbo_lead_scores_history"');
    await db.close();
    expect(rows.find((r) => r.run_name === summary.scores!.run)?.n).toBe(summary.scores!.selected);
    expect(forced.map((r) => r.forced)).toEqual([summary.scores!.forced ? 1 : 0]);
    // The scores are the predict run's: every enrollment whose feature window closed.
    expect(summary.scores!.run).toBe(basename(summary.predict!.dir));
    expect(summary.scores!.selected).toBe(summary.predict!.scored);
    expect(summary.predict!.labeled).toBeLessThanOrEqual(summary.predict!.scored);
    // Recommendations are written next to the booking run.
    expect(existsSync(summary.recommendations!.markdown)).toBe(true);
    expect(Array.isArray(summary.recommendations!.top)).toBe(true);
    expect(first.out()).toMatch(/recommend\s+\d+ recommendation/);
  });

  it('when --enrollments is not a number then exit 2 naming the flag', async () => {
    const io = captureIo({ cwd: await mkdtemp(join(tmpdir(), 'leadlift-quickstart-')) });
    expect(await runCli(['quickstart', '--enrollments', 'lots'], io)).toBe(2);
    expect(io.err()).toContain('--enrollments');
  });
});

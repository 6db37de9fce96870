// The recommend and recommendations commands end to end on a small demo: files written,
// proposals stored, approval recorded once, change requests exported, bad input refused,
// and no database connection opened by the recommend stage.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as db from '../../db/index.js';
import type { Recommendation } from '../../recommend/index.js';
import { captureIo } from '../io.js';
import { runCli } from '../run.js';

const calls = { source: 0, target: 0 };
vi.mock('../../db/index.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../db/index.js')>();
  return {
    ...actual,
    openSource: (...args: Parameters<typeof actual.openSource>) => {
      calls.source++;
      return actual.openSource(...args);
    },
    openTarget: (...args: Parameters<typeof actual.openTarget>) => {
      calls.target++;
      return actual.openTarget(...args);
    },
  };
});

let cwd: string;
let run: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'leadlift-recommend-'));
  expect(await runCli(['quickstart', '--enrollments', '1500', '--quiet'], captureIo({ cwd }))).toBe(0);
  run = readdirSync(join(cwd, 'tmp/runs'))[0]!;
  expect(calls.source + calls.target).toBeGreaterThan(0); // the spies see the pipeline's connections
}, 120_000);

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('leadlift recommend', () => {
  it('when run on a trained run then it writes both files, stores proposals and opens no database', async () => {
    calls.source = 0;
    calls.target = 0;
    const io = captureIo({ cwd });
    expect(await runCli(['recommend', `tmp/runs/${run}`, '--json'], io)).toBe(0);
    expect(calls).toEqual({ source: 0, target: 0 });
    expect(db.openSource).toBeTypeOf('function');
    const doc = JSON.parse(io.out()) as {
      format: string;
      recommendations: { id: string }[];
      comparisons: unknown[];
      elements: { level: string }[];
      paths: { json: string; markdown: string; store: string };
    };
    expect(doc.format).toBe('leadlift.recommendations/1');
    expect(doc.comparisons.length).toBeGreaterThanOrEqual(5);
    expect(new Set(doc.elements.map((e) => e.level))).toEqual(
      new Set(['campaign', 'channel', 'step', 'variant', 'branch']),
    );
    // The demo's campaigns have decision points (a connected call skips ahead): each is judged.
    const decisions = (doc as unknown as { decisions: { step_id: string; gap: { point: number } }[] })
      .decisions;
    expect(decisions.length).toBeGreaterThan(0);
    for (const x of decisions) expect(Number.isFinite(x.gap.point), x.step_id).toBe(true);
    // Every enrollment that reached an A/B step got exactly one of its variants, and
    // replies, bookings and drop-offs never exceed what they are counted over.
    const els = doc.elements as unknown as {
      level: string;
      step_id: string | null;
      volume: number;
      replies: { k: number; n: number };
      positive_replies: { k: number };
      negative_replies: { k: number };
      booked_7d: { k: number; n: number };
      drop_off: { k: number; n: number } | null;
    }[];
    const abSteps = new Set(els.filter((e) => e.level === 'variant').map((e) => e.step_id));
    expect(abSteps.size).toBeGreaterThanOrEqual(3);
    for (const step of abSteps) {
      const total = els
        .filter((e) => e.level === 'variant' && e.step_id === step)
        .reduce((a, e) => a + e.volume, 0);
      expect(total).toBe(els.find((e) => e.level === 'step' && e.step_id === step)!.volume);
    }
    for (const e of els) {
      expect(e.replies.n).toBe(e.volume);
      expect(e.positive_replies.k).toBeLessThanOrEqual(e.replies.k);
      expect(e.negative_replies.k).toBeLessThanOrEqual(e.replies.k);
      expect(e.replies.k).toBeLessThanOrEqual(e.volume);
      expect(e.booked_7d.n).toBeLessThanOrEqual(e.volume);
      if (e.drop_off) expect(e.drop_off.k).toBeLessThanOrEqual(e.drop_off.n);
    }
    expect(els.some((e) => e.replies.k > 0 && e.negative_replies.k > 0)).toBe(true);
    expect(existsSync(join(cwd, 'tmp/runs', run, 'recommendations.json'))).toBe(true);
    expect(readFileSync(join(cwd, 'tmp/runs', run, 'recommendations.md'), 'utf8')).toContain(
      '## Comparisons tested',
    );
    const store = JSON.parse(readFileSync(doc.paths.store, 'utf8')) as { entries: { id: string }[] };
    expect(store.entries.map((e) => e.id)).toEqual(doc.recommendations.map((r) => r.id));
    // Same input, same output (apart from nothing: the document has no timings).
    const again = captureIo({ cwd });
    expect(await runCli(['recommend', run, '--json'], again)).toBe(0);
    const { paths: _p1, ...a } = doc;
    const { paths: _p2, ...b } = JSON.parse(again.out()) as typeof doc;
    expect(b).toEqual(a);
  }, 120_000);

  it('when the run does not exist then recommend.unknownRun and exit 2', async () => {
    const io = captureIo({ cwd });
    expect(await runCli(['recommend', 'no-such-run', '-q'], io)).toBe(2);
    expect(io.err()).toContain('[recommend.unknownRun]');
  });

  it('when the run has no predictions.csv then recommend.noScores and exit 2', async () => {
    const { cp, rm: remove } = await import('node:fs/promises');
    await cp(join(cwd, 'tmp/runs', run), join(cwd, 'tmp/runs/unscored'), { recursive: true });
    await remove(join(cwd, 'tmp/runs/unscored/predictions.csv'));
    const io = captureIo({ cwd });
    expect(await runCli(['recommend', 'unscored', '--cleaned', `tmp/cleaned/${run}`, '-q'], io)).toBe(2);
    expect(io.err()).toContain('[recommend.noScores]');
  });
});

describe('leadlift recommendations', () => {
  it('when a proposal is approved then who/when/why are stored, a change request is written, and approving twice fails', async () => {
    // Two proposals of a 30k-enrollment demo run (seed 7), stored as they came out of it.
    const { addProposals } = await import('../../recommend/store.js');
    const recs = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../recommend/golden/recommendations.json'), 'utf8'),
    ) as Recommendation[];
    await addProposals(join(cwd, 'tmp/recommendations/store.json'), 'demo-30k', 'demo-30k', recs);
    const id = recs[0]!.id;
    const list = captureIo({ cwd });
    expect(await runCli(['recommendations', 'list'], list)).toBe(0);
    expect(list.out()).toContain(id);
    const approve = captureIo({ cwd });
    expect(
      await runCli(
        ['recommendations', 'approve', id, '--by', 'Dana Ops', '--note', 'looks right', '--json'],
        approve,
      ),
    ).toBe(0);
    const out = JSON.parse(approve.out()) as {
      status: string;
      history: { status: string; by: string; note: string | null }[];
      change_request: { json: string; markdown: string };
    };
    expect(out.status).toBe('approved');
    expect(out.history.at(-1)).toMatchObject({ status: 'approved', by: 'Dana Ops', note: 'looks right' });
    const cr = JSON.parse(readFileSync(out.change_request.json, 'utf8')) as {
      format: string;
      approved_by: string;
    };
    expect(cr).toMatchObject({ format: 'leadlift.change-request/1', approved_by: 'Dana Ops' });
    expect(readFileSync(out.change_request.markdown, 'utf8')).toContain(`# Change request ${id}`);

    const twice = captureIo({ cwd });
    expect(await runCli(['recommendations', 'approve', id, '--by', 'Dana Ops'], twice)).toBe(2);
    expect(twice.err()).toContain('[recommend.badTransition]');

    expect(await runCli(['recommendations', 'rolled-out', id, '--by', 'Sam', '-q'], captureIo({ cwd }))).toBe(
      0,
    );
    expect(await runCli(['recommendations', 'reverted', id, '--by', 'Sam', '-q'], captureIo({ cwd }))).toBe(
      0,
    );
    const show = captureIo({ cwd });
    expect(await runCli(['recommendations', 'show', id, '--json'], show)).toBe(0);
    expect(
      (JSON.parse(show.out()) as { history: { status: string }[] }).history.map((h) => h.status),
    ).toEqual(['proposed', 'approved', 'rolled_out', 'reverted']);
  });

  it('when the id is unknown then recommend.unknownId and exit 2', async () => {
    const io = captureIo({ cwd });
    expect(await runCli(['recommendations', 'approve', 'rec-nope', '--by', 'Dana'], io)).toBe(2);
    expect(io.err()).toContain('[recommend.unknownId]');
    const show = captureIo({ cwd });
    expect(await runCli(['recommendations', 'show', 'rec-nope'], show)).toBe(2);
  });

  it('when a proposal is exported before approval then recommend.notApproved and exit 2', async () => {
    const recs = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../recommend/golden/recommendations.json'), 'utf8'),
    ) as Recommendation[];
    const proposed = { id: recs[1]!.id };
    const io = captureIo({ cwd });
    expect(await runCli(['recommendations', 'export', proposed.id], io)).toBe(2);
    expect(io.err()).toContain('[recommend.notApproved]');
  });
});

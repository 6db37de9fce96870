import { describe, expect, it } from 'vitest';
import type { RecData } from './load.js';
import { shuffleOutcomes } from './noise.js';

/** 400 rows over two orgs; T3's window has not elapsed for every 4th row. */
function data(): RecData {
  const n = 400;
  const y1 = Int8Array.from({ length: n }, (_, r) => (r % 3 === 0 ? 1 : 0));
  const y2 = Int8Array.from({ length: n }, (_, r) => (r % 6 === 0 ? 1 : 0));
  const y3 = Int8Array.from({ length: n }, (_, r) => (r % 4 === 0 ? -1 : r % 12 === 3 ? 1 : 0));
  return {
    campaigns: new Map(),
    steps: [],
    stepIndex: new Map(),
    variants: [],
    variantIndex: new Map(),
    nRows: n,
    orgId: Array.from({ length: n }, (_, r) => (r < 150 ? 'a' : 'b')),
    enrollmentId: Array.from({ length: n }, (_, r) => String(r)),
    campaignId: Array.from({ length: n }, () => '1'),
    decisionTs: new Float64Array(n),
    labels: { booked_call_within_7d: y1, qualified_within_14d: y2, conversion_within_30d: y3 },
    touches: Array.from({ length: n }, () => []),
    replies: Array.from({ length: n }, () => []),
    variantTexts: [],
    stepTexts: [],
    asOf: 0,
  };
}

const tuple = (d: RecData, r: number) =>
  `${d.labels.booked_call_within_7d[r]}${d.labels.qualified_within_14d[r]}${d.labels.conversion_within_30d[r]}`;

describe('shuffleOutcomes', () => {
  const d = data();
  const s = shuffleOutcomes(d, 1, 0);

  it('when shuffled then each org keeps its multiset of outcome tuples and every elapsed pattern stays on its rows', () => {
    for (const org of ['a', 'b']) {
      const rows = [...Array(d.nRows).keys()].filter((r) => d.orgId[r] === org);
      expect(rows.map((r) => tuple(s, r)).sort()).toEqual(rows.map((r) => tuple(d, r)).sort());
    }
    for (let r = 0; r < d.nRows; r++) {
      expect(s.labels.conversion_within_30d[r]! < 0).toBe(d.labels.conversion_within_30d[r]! < 0);
    }
  });

  it('when shuffled then outcomes move between rows and the input is untouched', () => {
    let moved = 0;
    for (let r = 0; r < d.nRows; r++) if (tuple(s, r) !== tuple(d, r)) moved++;
    expect(moved).toBeGreaterThan(50);
    expect(d.labels).toEqual(data().labels);
  });

  it('when called with the same seed and stream then the result is the same, and another stream differs', () => {
    expect(shuffleOutcomes(d, 1, 0).labels).toEqual(s.labels);
    expect(shuffleOutcomes(d, 1, 1).labels.booked_call_within_7d).not.toEqual(s.labels.booked_call_within_7d);
  });
});

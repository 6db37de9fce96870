// Small synthetic flat tables with a known structure, for tests and examples: an
// interaction only trees can learn ('xor'), a linear effect ('linear') or none ('noise').

import { SeededRng } from '../numeric/rng.js';
import { formatCsv } from './csv.js';

/** Options of {@link syntheticFlatCsv}. */
export interface SyntheticOptions {
  /** Rows. Default 1000. */
  readonly n?: number;
  /** 'xor': P(y=1) is 0.85 when exactly one of a, b is positive, else 0.05. 'linear': logit = 2a − b − 1. 'noise': P = 0.2. Default 'xor'. */
  readonly kind?: 'xor' | 'linear' | 'noise';
  /** Seed. Default 1. */
  readonly seed?: number;
  /** Labels of the last share of rows (by time) forced to 0. Default 0. */
  readonly negativeTail?: number;
}

/**
 * A CSV with columns id, ts (hourly from 2026-01-01T00:00:00Z), a, b (standard normal;
 * about 3% of b blank), color (red/green/blue; "green" adds to the odds), noise, and
 * converted (0/1).
 */
export function syntheticFlatCsv(options: SyntheticOptions = {}): string {
  const n = options.n ?? 1000;
  const kind = options.kind ?? 'xor';
  const rng = new SeededRng(options.seed ?? 1, 7);
  const colors = ['red', 'green', 'blue'];
  const rows: (string | number)[][] = [];
  const t0 = Date.UTC(2026, 0, 1);
  for (let i = 0; i < n; i++) {
    const a = rng.nextNormal();
    const b = rng.nextNormal();
    const color = colors[rng.nextInt(3)]!;
    const noise = rng.nextNormal();
    let p: number;
    if (kind === 'xor') p = a > 0 !== b > 0 ? 0.85 : 0.05;
    else if (kind === 'linear') p = 1 / (1 + Math.exp(-(2 * a - b - 1 + (color === 'green' ? 1 : 0))));
    else p = 0.2;
    let y = rng.nextFloat() < p ? 1 : 0;
    if (options.negativeTail && i >= n * (1 - options.negativeTail)) y = 0;
    const bCell = rng.nextFloat() < 0.03 ? '' : b.toFixed(4);
    rows.push([
      `L${i + 1}`,
      new Date(t0 + i * 3_600_000).toISOString(),
      a.toFixed(4),
      bCell,
      color,
      noise.toFixed(4),
      y,
    ]);
  }
  return formatCsv(['id', 'ts', 'a', 'b', 'color', 'noise', 'converted'], rows);
}

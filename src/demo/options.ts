// Options of the demo generator, their defaults and allowed ranges. Every problem is
// collected and reported at once, each naming its flag, the value given and the range.

import { LeadliftError } from '../errors.js';
import { parseYmd } from './time.js';

/** What the demo generates. Every field has a default (see DEMO_DEFAULTS). */
export interface DemoOptions {
  /** PRNG seed; the same seed and options give identical rows. Default 42. */
  readonly seed: number;
  /** Number of enrollments. Default 5000. */
  readonly enrollments: number;
  /** Number of organizations. Default 3. */
  readonly orgs: number;
  /** First enrollment day, `YYYY-MM-DD` (UTC). Default 2025-09-01. */
  readonly start: string;
  /** Days over which enrollments arrive; the data's as-of time is `start + days`. Default 180. */
  readonly days: number;
}

export const DEMO_DEFAULTS: DemoOptions = {
  seed: 42,
  enrollments: 5000,
  orgs: 3,
  start: '2025-09-01',
  days: 180,
};

/** Allowed ranges (inclusive). */
export const DEMO_LIMITS = {
  seed: [0, 4_294_967_295],
  enrollments: [1, 5_000_000],
  orgs: [1, 40],
  days: [7, 3650],
  start: ['2000-01-01', '2099-12-31'],
} as const;

/** Flag names, for messages. */
const FLAG: Readonly<Record<keyof DemoOptions, string>> = {
  seed: '--seed',
  enrollments: '--enrollments',
  orgs: '--orgs',
  start: '--start',
  days: '--days',
};

/** Raw option values as a CLI gives them (strings) or a caller gives them (numbers). */
export type DemoOptionsInput = { readonly [K in keyof DemoOptions]?: string | number | undefined };

/**
 * Validates options and fills defaults. Throws `demo.badFlag` (exit 2) listing every
 * invalid value with its flag and allowed range.
 */
export function resolveDemoOptions(input: DemoOptionsInput = {}): DemoOptions {
  const problems: string[] = [];
  const bad: Record<string, unknown>[] = [];
  const int = (key: 'seed' | 'enrollments' | 'orgs' | 'days'): number => {
    const raw = input[key];
    if (raw === undefined) return DEMO_DEFAULTS[key];
    const [lo, hi] = DEMO_LIMITS[key];
    const n = typeof raw === 'number' ? raw : /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isInteger(n) || n < lo || n > hi) {
      problems.push(
        `${FLAG[key]} ${JSON.stringify(raw)} is not allowed: use a whole number from ${lo} to ${hi}.`,
      );
      bad.push({ flag: FLAG[key], value: raw, min: lo, max: hi });
      return DEMO_DEFAULTS[key];
    }
    return n;
  };
  const seed = int('seed');
  const enrollments = int('enrollments');
  const orgs = int('orgs');
  const days = int('days');
  let start = DEMO_DEFAULTS.start;
  if (input.start !== undefined) {
    const s = String(input.start).trim();
    const [lo, hi] = DEMO_LIMITS.start;
    if (Number.isNaN(parseYmd(s)) || s < lo || s > hi) {
      problems.push(
        `--start ${JSON.stringify(input.start)} is not allowed: use a date YYYY-MM-DD from ${lo} to ${hi}.`,
      );
      bad.push({ flag: '--start', value: input.start, min: lo, max: hi });
    } else {
      start = s;
    }
  }
  if (problems.length > 0) {
    throw new LeadliftError('demo.badFlag', problems.join('\n'), { details: { problems: bad } });
  }
  return { seed, enrollments, orgs, start, days };
}

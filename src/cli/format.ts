// Small helpers shared by commands: aligned text tables and flag parsing with errors
// that name the flag, the value and the allowed range.

import { LeadliftError } from '../errors.js';

/** Renders rows of equal keys as an aligned text table (right-aligns numeric-looking cells). */
export function formatTable(rows: readonly Readonly<Record<string, string | number>>[]): string {
  if (rows.length === 0) return '(none)';
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((r) => headers.map((h) => String(r[h] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const numeric = headers.map((_, i) => cells.every((c) => /^-?[\d,.]+%?$|^-$/.test(c[i]!)));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** Parses an integer flag within [min, max]; undefined passes through. */
export function intFlag(
  flag: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new LeadliftError(
      'cli.badFlag',
      `${flag} "${value}" must be a whole number from ${min} to ${max}.`,
      {
        details: { flag, value },
      },
    );
  }
  return n;
}

/** A flag that must be given. `hint` says what else would do. */
export function requireFlag(flag: string, value: string | undefined, hint?: string): string {
  if (value === undefined || value === '') {
    throw new LeadliftError('cli.missingFlag', `${flag} is required${hint ? ` (${hint})` : ''}.`, {
      details: { flag },
    });
  }
  return value;
}

// Flag parsing shared by commands, with errors that name the flag, the value and the allowed range.

import { LeadliftError } from '../errors.js';

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

// Parameter resolution shared by the estimators: defaults filled in, every problem
// (unknown name, wrong type, out of range) reported at once with the closest name.

import { closest, LeadliftError } from '../errors.js';

/** How one parameter is checked: its default and a predicate returning a problem or undefined. */
export interface ParamSpec<T> {
  readonly default: T;
  readonly check: (value: unknown) => string | undefined;
}

/** Checkers for common parameter shapes. */
export const is = {
  number:
    (min: number, max: number, { minOpen = false, maxOpen = false } = {}) =>
    (v: unknown): string | undefined =>
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (minOpen ? v <= min : v < min) ||
      (maxOpen ? v >= max : v > max)
        ? `must be a number in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`
        : undefined,
  integer:
    (min: number, max: number) =>
    (v: unknown): string | undefined =>
      typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max
        ? `must be an integer in [${min}, ${max}]`
        : undefined,
  boolean: (v: unknown): string | undefined => (typeof v === 'boolean' ? undefined : 'must be true or false'),
  oneOf:
    (allowed: readonly string[]) =>
    (v: unknown): string | undefined =>
      typeof v === 'string' && allowed.includes(v)
        ? undefined
        : `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}${
            typeof v === 'string' && closest(v, allowed) ? ` (did you mean "${closest(v, allowed)}"?)` : ''
          }`,
};

/**
 * Fills defaults into `params` and checks every value against `specs`. Throws one
 * `models.invalidParams` error listing all problems (unknown names get the closest known
 * name). Returns a frozen object with every parameter set.
 */
export function resolveParams<T extends object>(
  estimator: string,
  specs: { readonly [K in keyof T]: ParamSpec<T[K]> },
  params: Partial<T> | undefined,
): Readonly<T> {
  const given = (params ?? {}) as Record<string, unknown>;
  const known = Object.keys(specs);
  const problems: string[] = [];
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      const hint = closest(key, known);
      problems.push(`unknown parameter "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of known) {
    const spec = (specs as Record<string, ParamSpec<unknown>>)[key]!;
    const value = given[key] === undefined ? spec.default : given[key];
    const problem = spec.check(value);
    if (problem) problems.push(`${key} = ${JSON.stringify(value)} ${problem}`);
    out[key] = value;
  }
  if (problems.length > 0) {
    throw new LeadliftError(
      'models.invalidParams',
      `${estimator}: invalid parameters — ${problems.join('; ')}.`,
      {
        details: { problems },
      },
    );
  }
  return Object.freeze(out) as Readonly<T>;
}

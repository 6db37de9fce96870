import { describe, expect, it } from 'vitest';
import { isLeadliftError, type LeadliftError } from '../errors.js';
import { DEMO_DEFAULTS, resolveDemoOptions } from './options.js';

function errorOf(fn: () => unknown): LeadliftError {
  try {
    fn();
  } catch (e) {
    if (isLeadliftError(e)) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('resolveDemoOptions', () => {
  it('when nothing is given then the defaults apply', () => {
    expect(resolveDemoOptions()).toEqual(DEMO_DEFAULTS);
  });

  it('when flags come as strings then they are parsed', () => {
    expect(
      resolveDemoOptions({ seed: '7', enrollments: '1000', orgs: '2', start: '2026-01-15', days: '90' }),
    ).toEqual({
      seed: 7,
      enrollments: 1000,
      orgs: 2,
      start: '2026-01-15',
      days: 90,
    });
  });

  it('when several values are bad then one demo.badFlag error names every flag, value and range', () => {
    const e = errorOf(() =>
      resolveDemoOptions({ seed: '-1', enrollments: '1e3', orgs: 99, start: '2026-13-01', days: '3' }),
    );
    expect(e.code).toBe('demo.badFlag');
    expect(e.exitCode).toBe(2);
    for (const s of [
      '--seed "-1"',
      '--enrollments "1e3"',
      '--orgs 99',
      '--start "2026-13-01"',
      '--days "3"',
      '1 to 40',
    ]) {
      expect(e.message).toContain(s);
    }
    expect((e.details.problems as unknown[]).length).toBe(5);
  });
});

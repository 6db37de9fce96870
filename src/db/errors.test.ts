import { describe, expect, it } from 'vitest';
import { queryFailed, scrubDataValues } from './errors.js';

describe('scrubDataValues', () => {
  it('when a cast failure quotes a data value then the value is masked', () => {
    const sql = 'SELECT CAST(email AS int) FROM education.contacts';
    expect(scrubDataValues('invalid input syntax for type integer: "maria@example.com"', sql)).toBe(
      'invalid input syntax for type integer: "…"',
    );
  });

  it('when the quoted text is an identifier of the query then it is kept', () => {
    const sql = 'SELECT "lead_sorce" FROM education.contacts';
    expect(scrubDataValues('column "lead_sorce" does not exist', sql)).toBe(
      'column "lead_sorce" does not exist',
    );
  });

  it('when SQL Server quotes an nvarchar value in single quotes then it is masked', () => {
    expect(
      scrubDataValues(
        "Conversion failed when converting the nvarchar value 'Maria Lopez' to data type int.",
        'SELECT 1',
      ),
    ).toBe('Conversion failed when converting the nvarchar value "…" to data type int.');
  });
});

describe('queryFailed', () => {
  it('when the driver message holds a value then the error keeps the SQL and the parameter count only', () => {
    const e = queryFailed(
      'SELECT CAST(phone AS int) FROM c WHERE x = @since',
      1,
      new Error('bad value "312-555-0199"'),
    );
    expect(e.code).toBe('db.queryFailed');
    expect(e.exitCode).toBe(4);
    expect(e.message).not.toContain('312-555-0199');
    expect(e.message).toContain('1 parameter');
  });
});

// Tests of the pure INSERT text generation and batch sizing per dialect.

import { describe, expect, it } from 'vitest';
import { hooksFor } from './hooks.js';
import { insertSql, physicalTable, rowsPerInsert } from './sql-text.js';

describe('physicalTable', () => {
  it('when a reference name is given then each dialect maps it with tableName', () => {
    expect(physicalTable(hooksFor('sqlite'), 'education.campaigns')).toBe('"education_campaigns"');
    expect(physicalTable(hooksFor('sqlite'), 'dbo.Education_Cory_Communication_Log')).toBe(
      '"dbo_Education_Cory_Communication_Log"',
    );
    expect(physicalTable(hooksFor('postgres'), 'education.campaigns')).toBe('"education"."campaigns"');
    expect(physicalTable(hooksFor('mssql'), 'education.campaigns')).toBe('[education].[campaigns]');
  });

  it('when a bare name or one with quote characters is given then it is quoted safely', () => {
    expect(physicalTable(hooksFor('postgres'), 'lead_scores')).toBe('"lead_scores"');
    expect(physicalTable(hooksFor('sqlite'), 'a"b')).toBe('"a""b"');
    expect(physicalTable(hooksFor('mssql'), 'a]b')).toBe('[a]]b]');
  });
});

describe('insertSql', () => {
  it('when two rows of two columns are inserted then placeholders are numbered row by row per dialect', () => {
    expect(insertSql(hooksFor('sqlite'), 'education.campaigns', ['id', 'name'], 2)).toBe(
      'INSERT INTO "education_campaigns" ("id", "name") VALUES (?, ?), (?, ?)',
    );
    expect(insertSql(hooksFor('postgres'), 'education.campaigns', ['id', 'name'], 2)).toBe(
      'INSERT INTO "education"."campaigns" ("id", "name") VALUES ($1, $2), ($3, $4)',
    );
    expect(insertSql(hooksFor('mssql'), 'education.campaigns', ['id', 'name'], 2)).toBe(
      'INSERT INTO [education].[campaigns] ([id], [name]) VALUES (@p0, @p1), (@p2, @p3)',
    );
  });
});

describe('rowsPerInsert', () => {
  it('when columns are few then SQL Server is capped at 1000 rows and the others by parameters', () => {
    expect(rowsPerInsert(hooksFor('mssql'), 1)).toBe(1000);
    expect(rowsPerInsert(hooksFor('mssql'), 3)).toBe(699);
    expect(rowsPerInsert(hooksFor('postgres'), 3)).toBe(21845);
    expect(rowsPerInsert(hooksFor('sqlite'), 3)).toBe(10922);
  });

  it('when a batch is sized then rows × columns stays within the parameter limit', () => {
    for (const d of ['sqlite', 'postgres', 'mssql'] as const) {
      const h = hooksFor(d);
      for (const cols of [1, 7, 21, 100])
        expect(rowsPerInsert(h, cols) * cols).toBeLessThanOrEqual(h.maxParams);
    }
  });

  it('when there are more columns than parameters then it throws db.badInsert', () => {
    expect(() => rowsPerInsert(hooksFor('mssql'), 3000)).toThrow(/at most 2098/);
  });
});

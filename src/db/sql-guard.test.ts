// Tests of the query-file guard: what is a keyword under each dialect's lexing, and the @param helpers.

import { describe, expect, it } from 'vitest';
import { isLeadliftError, type LeadliftError } from '../errors.js';
import { assertSelectOnly, namedParams, toPositional } from './sql-guard.js';

function refusal(sql: string, options: Parameters<typeof assertSelectOnly>[2] = {}): LeadliftError {
  try {
    assertSelectOnly(sql, 'pack/q.sql', options);
  } catch (e) {
    if (isLeadliftError(e)) return e;
    throw e;
  }
  throw new Error(`accepted: ${sql}`);
}

describe('assertSelectOnly', () => {
  it.each([
    ['a plain SELECT', 'SELECT 1'],
    ['a trailing semicolon', 'SELECT a FROM t;'],
    ['a trailing semicolon and comments', 'SELECT a FROM t; -- done\n/* end */'],
    ['a CTE', 'WITH x AS (SELECT 1 AS a) SELECT a FROM x'],
    ['lowercase keywords', 'select a from t where b = 1'],
    ['a leading comment', '-- contacts\n/* header */\nSELECT 1'],
    ['a parenthesized union', '(SELECT 1) UNION ALL (SELECT 2)'],
    ['a forbidden word inside a string', "SELECT 'DELETE FROM t; DROP TABLE x' AS s"],
    ['a doubled quote in a string', "SELECT 'it''s; DELETE' AS s"],
    ['an N string', "SELECT N'update' AS s"],
    ['a forbidden word in a line comment', 'SELECT 1 -- then DELETE everything\nFROM t'],
    ['a forbidden word in a block comment', 'SELECT 1 /* INSERT INTO x */ FROM t'],
    ['a forbidden word as a "quoted" identifier', 'SELECT "delete", "set" FROM t'],
    ['REPLACE as a function', "SELECT REPLACE(name, 'a', 'b') AS n FROM t"],
    ['words that merely contain keywords', 'SELECT updated_at, created_by, settings, into_x, reset FROM t'],
    ['a @@ system variable', 'SELECT @@VERSION'],
    ['T-SQL table hints', 'SELECT a FROM t WITH (NOLOCK)'],
  ])('when the text has %s then it is accepted', (_what, sql) => {
    expect(() => assertSelectOnly(sql, 'q.sql')).not.toThrow();
  });

  it('when a forbidden word is a [bracketed] identifier then T-SQL and SQLite rules accept it', () => {
    for (const dialect of ['mssql', 'sqlite'] as const) {
      expect(() =>
        assertSelectOnly('SELECT [update], [Into] FROM [dbo].[t]', 'q.sql', { dialect }),
      ).not.toThrow();
      expect(() => assertSelectOnly('SELECT [a]]drop] FROM t', 'q.sql', { dialect })).not.toThrow();
    }
  });

  it('when a [bracketed] forbidden word is checked without a dialect then PostgreSQL rules refuse it', () => {
    // PostgreSQL reads brackets as array subscripts; callers that know the dialect pass it.
    const e = refusal('SELECT [update] FROM t');
    expect(e.details.keyword).toBe('UPDATE');
    expect(e.message).toContain('postgres');
  });

  it('when a PostgreSQL dollar-quoted string holds a keyword then it is accepted as postgres', () => {
    expect(() =>
      assertSelectOnly('SELECT $body$ DELETE FROM t; $body$ AS s, $$x$$ AS y', 'q.sql', {
        dialect: 'postgres',
      }),
    ).not.toThrow();
  });

  it('when an E string has a backslash-escaped quote then the keyword inside stays in the string (postgres)', () => {
    expect(() =>
      assertSelectOnly("SELECT E'it\\'s DELETE' AS s", 'q.sql', { dialect: 'postgres' }),
    ).not.toThrow();
  });

  it('when nested block comments hold a keyword then T-SQL and PostgreSQL accept it', () => {
    const sql = 'SELECT 1 /* outer /* inner */ DELETE still comment */ AS a';
    expect(() => assertSelectOnly(sql, 'q.sql', { dialect: 'mssql' })).not.toThrow();
    expect(() => assertSelectOnly(sql, 'q.sql', { dialect: 'postgres' })).not.toThrow();
  });

  it('when nested block comments hide a keyword from SQLite rules then SQLite and the all-dialect check refuse it', () => {
    // SQLite ends the comment at the first */, so DELETE is code there.
    const sql = 'SELECT 1 /* outer /* inner */ DELETE still comment */ AS a';
    expect(refusal(sql, { dialect: 'sqlite' }).details.keyword).toBe('DELETE');
    expect(refusal(sql).code).toBe('query.notSelect');
  });

  it('when the text is SELECT 1; DELETE … then it is refused naming DELETE on line 1', () => {
    const e = refusal('SELECT 1; DELETE FROM education_contacts');
    expect(e.code).toBe('query.notSelect');
    expect(e.details).toMatchObject({ keyword: 'DELETE', line: 1, label: 'pack/q.sql' });
    expect(e.message).toContain('pack/q.sql');
    expect(e.message).toContain('DELETE');
    expect(e.message).toContain('line 1');
    expect(e.message).toMatch(/one SELECT/);
  });

  it('when a CTE is followed by DELETE then it is refused', () => {
    const e = refusal('WITH x AS (SELECT id FROM t)\nDELETE FROM t WHERE id IN (SELECT id FROM x)');
    expect(e.details).toMatchObject({ keyword: 'DELETE', line: 2 });
  });

  it('when a data-modifying CTE is used then it is refused', () => {
    expect(refusal('WITH gone AS (DELETE FROM t RETURNING *) SELECT * FROM gone').details.keyword).toBe(
      'DELETE',
    );
  });

  it('when SELECT … INTO writes a table then it is refused naming INTO and its line', () => {
    const e = refusal('SELECT a\nINTO #copy\nFROM t');
    expect(e.details).toMatchObject({ keyword: 'INTO', line: 2 });
  });

  it.each([
    ['INSERT', 'INSERT INTO t VALUES (1)'],
    ['UPDATE', 'UPDATE t SET a = 1'],
    ['MERGE', 'MERGE t USING s ON 1 = 1 WHEN MATCHED THEN DELETE'],
    ['DROP', 'DROP TABLE t'],
    ['CREATE', 'CREATE TABLE x (a int)'],
    ['ALTER', 'ALTER TABLE t ADD b int'],
    ['TRUNCATE', 'TRUNCATE TABLE t'],
    ['EXEC', 'EXEC sp_who'],
    ['EXECUTE', 'EXECUTE sp_who'],
    ['GRANT', 'GRANT SELECT ON t TO u'],
    ['REVOKE', 'REVOKE SELECT ON t FROM u'],
    ['DENY', 'DENY SELECT ON t TO u'],
    ['SET', 'SET NOCOUNT ON'],
    ['USE', 'USE master'],
    ['DECLARE', 'DECLARE @x int'],
    ['CALL', 'CALL p()'],
    ['COPY', "COPY t TO '/tmp/x'"],
    ['VACUUM', 'VACUUM'],
    ['ATTACH', "ATTACH DATABASE 'x.db' AS x"],
    ['DETACH', 'DETACH DATABASE x'],
    ['PRAGMA', 'PRAGMA query_only = OFF'],
    ['REPLACE', 'REPLACE INTO t VALUES (1)'],
    ['UPSERT', 'UPSERT t'],
    ['BULK', "BULK INSERT t FROM 'x.csv'"],
    ['OPENROWSET', "SELECT * FROM OPENROWSET('SQLNCLI', 'x', 'SELECT 1')"],
  ])('when the text uses %s then it is refused naming it', (keyword, sql) => {
    const e = refusal(sql);
    expect(e.code).toBe('query.notSelect');
    expect(e.details.keyword).toBe(keyword);
  });

  it('when a T-SQL batch runs a second statement without a semicolon then the write keyword is refused', () => {
    expect(refusal('SELECT 1 AS a\nUPDATE t SET a = 2').details).toMatchObject({
      keyword: 'UPDATE',
      line: 2,
    });
  });

  it('when a write keyword is glued to a number (SELECT 1DELETE) then it is still refused', () => {
    expect(refusal('SELECT 1DELETE FROM t').details.keyword).toBe('DELETE');
    expect(refusal('SELECT 0xABCUPDATE t').details.keyword).toBe('UPDATE');
  });

  it('when a T-SQL batch ends the read-only transaction (COMMIT) then it is refused', () => {
    expect(refusal('SELECT 1 COMMIT').details.keyword).toBe('COMMIT');
  });

  it('when two SELECTs are separated by a semicolon then the second statement is refused with its line', () => {
    const e = refusal('SELECT 1;\n\nSELECT 2');
    expect(e.code).toBe('query.notSelect');
    expect(e.details).toMatchObject({ line: 3, keyword: 'SELECT' });
  });

  it('when the statement starts with another verb then it is refused naming it', () => {
    expect(refusal('EXPLAIN SELECT 1').details.keyword).toBe('EXPLAIN');
    expect(refusal('VALUES (1)').details.keyword).toBe('VALUES');
  });

  it('when the text is empty or only comments then it is refused as query.empty', () => {
    expect(refusal('').code).toBe('query.empty');
    expect(refusal('  \n-- nothing\n/* here */ ').code).toBe('query.empty');
    expect(refusal(';').code).toBe('query.notSelect');
  });

  it('when a string or comment is unterminated then it is refused with the line it starts on', () => {
    expect(refusal("SELECT 1\nWHERE a = 'open").details).toMatchObject({ line: 2 });
    expect(refusal('SELECT 1 /* never closed').code).toBe('query.notSelect');
    expect(refusal('SELECT $x$ open', { dialect: 'postgres' }).code).toBe('query.notSelect');
  });

  it('when an unterminated bracket would hide a keyword from T-SQL rules then the all-dialect check still refuses it', () => {
    // PostgreSQL reads "[" as a subscript, so DELETE is code there.
    expect(refusal('SELECT a[1; DELETE FROM t').code).toBe('query.notSelect');
  });
});

describe('namedParams', () => {
  it('when parameters repeat then each name is listed once in order of first use', () => {
    expect(namedParams('SELECT 1 WHERE a >= @since AND a < @until AND b >= @since')).toEqual([
      'since',
      'until',
    ]);
  });

  it('when @names are inside strings, comments or identifiers then they are ignored', () => {
    const sql =
      'SELECT \'@in_string\', "@quoted", [@bracket] -- @comment\n/* @block */ FROM t WHERE x = @real';
    expect(namedParams(sql)).toEqual(['real']);
  });

  it('when @@ system variables are used then they are not parameters', () => {
    expect(namedParams('SELECT @@ROWCOUNT, @@VERSION WHERE a = @p')).toEqual(['p']);
  });

  it('when PostgreSQL <@ and @> operators are used then they are not parameters', () => {
    expect(namedParams('SELECT 1 WHERE a <@b AND c @> d AND e = @since', { dialect: 'postgres' })).toEqual([
      'since',
    ]);
  });
});

describe('toPositional', () => {
  it('when names repeat then each gets its number from the list, everywhere it appears', () => {
    const sql = 'SELECT * FROM t WHERE a >= @since AND a < @until OR b >= @since';
    expect(toPositional(sql, ['since', 'until'])).toBe('SELECT * FROM t WHERE a >= $1 AND a < $2 OR b >= $1');
  });

  it('when @names appear inside strings or comments then they are left as they are', () => {
    const sql = "SELECT '@since' AS s, $q$ @since $q$ AS d -- @since\nFROM t WHERE a = @since";
    expect(toPositional(sql, ['since'])).toBe(
      "SELECT '@since' AS s, $q$ @since $q$ AS d -- @since\nFROM t WHERE a = $1",
    );
  });

  it('when the SQL uses a name the list lacks then query.missingParam names it', () => {
    try {
      toPositional('SELECT @since, @other', ['since']);
      expect.unreachable();
    } catch (e) {
      expect(isLeadliftError(e, 'query.missingParam')).toBe(true);
      expect((e as Error).message).toContain('@other');
    }
  });
});

describe('assertSelectOnly (T-SQL statements without a semicolon)', () => {
  it.each([
    'SELECT 1 AS x DISABLE TRIGGER ALL ON DATABASE',
    'SELECT 1 AS x RECEIVE TOP(1) * FROM dbo.q',
    "SELECT 1 AS x SETUSER 'dbo'",
    'SELECT 1 AS x UPDATETEXT t.c @ptr 0 NULL',
    "SELECT 1 AS x WAITFOR DELAY '01:00'",
    'SELECT 1 AS x SAVE TRANSACTION s',
    "SELECT 1 AS x NOTIFY chan, 'x'",
  ])('when %s then query.notSelect', (sql) => {
    expect(() => assertSelectOnly(sql, 'q.sql', { dialect: 'mssql' })).toThrow(
      expect.objectContaining({ code: 'query.notSelect' }),
    );
  });

  it('when OFFSET … FETCH NEXT pages a select then it is allowed', () => {
    expect(() =>
      assertSelectOnly('SELECT id FROM t ORDER BY id OFFSET 0 ROWS FETCH NEXT 10 ROWS ONLY', 'q.sql', {
        dialect: 'mssql',
      }),
    ).not.toThrow();
  });
});

// The score tables' DDL and write statements: the committed schema/lead-scores.*.sql equal
// what the code generates (LEADLIFT_UPDATE_GENERATED=1 rewrites them), and the T-SQL is
// parsed with node-sql-parser's transactsql grammar (no SQL Server runs here). The parser
// has no MERGE, so the MERGE is checked clause by clause as the statements it is made of.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { TYPE_MAP } from '../db/ddl.js';
import { DIALECTS, mssqlHooks } from '../db/hooks.js';
import { stageDiffCountSql, upsertFromStageSql, writersLockSql } from '../db/keyed-table.js';
import { PACKAGE_ROOT } from '../version.js';
import { STAGE_COLUMNS } from './run-input.js';
import {
  COMPARE_COLUMNS,
  historyTable,
  KEY_COLUMNS,
  parseScoresTable,
  scoresDdl,
  scoresDdlFilePath,
  scoresDdlFileText,
  scoresTable,
  VALUE_COLUMNS,
} from './tables.js';
import { historyInsertSql, stageFor, tableNames } from './write.js';

const parser = new Parser();
const TSQL = { database: 'transactsql' } as const;
// biome-ignore lint/suspicious/noExplicitAny: node-sql-parser's AST types are a loose union; the tests read a few known fields.
type Ast = any;
const astOf = (sql: string): Ast => {
  const a = parser.astify(sql, TSQL);
  return Array.isArray(a) ? a[0] : a;
};

describe('scoresDdlFileText', () => {
  for (const dialect of DIALECTS) {
    it(`when the ${dialect} DDL is generated then it equals the committed ${scoresDdlFilePath(dialect)}`, () => {
      const path = join(PACKAGE_ROOT, scoresDdlFilePath(dialect));
      const expected = scoresDdlFileText(dialect);
      if (process.env.LEADLIFT_UPDATE_GENERATED === '1') writeFileSync(path, expected);
      expect(
        readFileSync(path, 'utf8'),
        `${scoresDdlFilePath(dialect)} is out of date: run LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/scores/tables.test.ts`,
      ).toBe(expected);
    });
  }

  it('when generated for SQLite then the schema is folded into the names and every statement is IF NOT EXISTS', () => {
    const ddl = scoresDdl('sqlite');
    expect(ddl[0]).toContain('CREATE TABLE IF NOT EXISTS "dbo_lead_scores" (');
    expect(ddl.join('\n')).toContain('CREATE TABLE IF NOT EXISTS "dbo_lead_scores_history" (');
    expect(ddl.every((s) => s.includes('IF NOT EXISTS'))).toBe(true);
  });

  it('when generated for PostgreSQL then the schema is created first and types are mapped', () => {
    const ddl = scoresDdl('postgres');
    expect(ddl[0]).toBe('CREATE SCHEMA IF NOT EXISTS "dbo"');
    expect(ddl.join('\n')).toMatch(/"history_id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY/);
    expect(ddl.join('\n')).toMatch(/"run_timestamp_utc" timestamptz NOT NULL/);
  });
});

describe('parseScoresTable', () => {
  it('when a name has a schema, none, or bad characters then it is split or refused', () => {
    expect(parseScoresTable('dbo.lead_scores')).toEqual({ schema: 'dbo', name: 'lead_scores' });
    expect(parseScoresTable('scores')).toEqual({ schema: '', name: 'scores' });
    expect(() => parseScoresTable('dbo.lead_scores; DROP TABLE x')).toThrow(/not a table name/);
    expect(() => parseScoresTable('a.b.c')).toThrow(/not a table name/);
  });
});

describe('score tables (mssql)', () => {
  const ddl = scoresDdl('mssql');
  const names = tableNames({ hooks: mssqlHooks }, 'dbo.lead_scores');
  const stage = stageFor('mssql');

  for (const table of [scoresTable(), historyTable()]) {
    it(`when CREATE TABLE ${table.name} is parsed then its columns, types, nullability and key match`, () => {
      const stmt = ddl.find((s) => s.includes(`CREATE TABLE [dbo].[${table.name}] (`))!;
      const m = /^IF OBJECT_ID\(N'(\[dbo\]\.\[\w+\])', N'U'\) IS NULL (CREATE TABLE [\s\S]+)$/.exec(stmt);
      expect(m).not.toBeNull();
      const ast = astOf(m![2]!);
      expect(ast).toMatchObject({ type: 'create', keyword: 'table' });
      expect(ast.table[0]).toMatchObject({ db: 'dbo', table: table.name });
      const defs = ast.create_definitions.filter((d: Ast) => d.resource === 'column');
      expect(defs.map((d: Ast) => d.column.column)).toEqual(table.columns.map((c) => c.name));
      defs.forEach((d: Ast, k: number) => {
        const col = table.columns[k]!;
        if (col.type === 'identity') {
          expect(d.definition.dataType).toBe('BIGINT');
          expect(d.primary_key).toBeTruthy();
          return;
        }
        const def = d.definition;
        const rendered = `${def.dataType}${def.length !== undefined ? `(${String(def.length).toUpperCase()})` : ''}`;
        expect(rendered).toBe(TYPE_MAP.mssql[col.type]);
        expect(d.nullable.type).toBe(col.notNull ? 'not null' : 'null');
      });
      const pk = ast.create_definitions.find((d: Ast) => d.constraint_type === 'primary key');
      expect(pk?.definition.map((c: Ast) => c.column) ?? []).toEqual(table.primaryKey ?? []);
    });
  }

  it('when the index statements are parsed then each is guarded by sys.indexes and creates the listed index', () => {
    const indexes = ddl.filter((s) => s.startsWith('IF NOT EXISTS'));
    expect(indexes).toHaveLength(1);
    for (const s of indexes) {
      const m = /^IF NOT EXISTS \((SELECT 1 FROM sys\.indexes WHERE .+)\) (CREATE INDEX [\s\S]+)$/.exec(s);
      expect(m).not.toBeNull();
      expect(astOf(m![1]!).type).toBe('select');
      expect(astOf(m![2]!)).toMatchObject({ type: 'create', keyword: 'index' });
    }
  });

  it('when the staging table and the writers lock are parsed then they are a #temp CREATE TABLE and an EXEC sp_getapplock', () => {
    const create = astOf(stage.create[1]!);
    expect(create).toMatchObject({ type: 'create', keyword: 'table' });
    expect(create.table[0].table).toBe('#leadlift_scores_stage');
    expect(create.create_definitions.map((d: Ast) => d.column.column)).toEqual([...STAGE_COLUMNS]);
    // Text columns take the database's collation, so comparing them with the table's can't conflict.
    const textCols = create.create_definitions.filter((d: Ast) => d.definition.dataType === 'NVARCHAR');
    expect(textCols.length).toBeGreaterThan(0);
    expect(textCols.every((d: Ast) => d.collate?.collate?.name === 'DATABASE_DEFAULT')).toBe(true);
    // The parser knows neither `EXEC @r = proc` nor THROW: check the shape, parse the parts.
    const lock = writersLockSql('mssql', names.scores)[0]!;
    const m =
      /^(DECLARE @leadlift_lock INT); EXEC @leadlift_lock = (sp_getapplock .+); IF (@leadlift_lock < 0) THROW 51000, N'[^']+', 1;$/.exec(
        lock,
      );
    expect(m).not.toBeNull();
    expect(astOf(m![1]!)).toMatchObject({ type: 'declare' });
    const exec = astOf(`EXEC ${m![2]!}`);
    expect(exec).toMatchObject({ type: 'exec', module: { table: 'sp_getapplock' } });
    expect(exec.parameters.map((x: Ast) => x.name)).toEqual([
      'Resource',
      'LockMode',
      'LockOwner',
      'LockTimeout',
    ]);
    expect(astOf(`SELECT 1 AS x WHERE ${m![3]!}`).where.operator).toBe('<');
  });

  it('when the MERGE is taken apart then each clause parses as T-SQL and says the right thing', () => {
    const merge = upsertFromStageSql('mssql', {
      target: names.scores,
      stage: stage.sqlName,
      keyColumns: KEY_COLUMNS,
      valueColumns: VALUE_COLUMNS,
      compareColumns: COMPARE_COLUMNS,
      createdColumn: 'created_at_utc',
      updatedColumn: 'updated_at_utc',
      nowSql: 'CAST(@now AS DATETIMEOFFSET(3))',
    });
    const m =
      /^MERGE INTO (\S+) WITH \(HOLDLOCK\) AS t USING (\S+) AS s ON (.+) WHEN MATCHED AND \((.+)\) THEN UPDATE SET (.+) WHEN NOT MATCHED BY TARGET THEN INSERT \((.+)\) VALUES \((.+)\);$/.exec(
        merge,
      );
    expect(m).not.toBeNull();
    const [, target, source, on, differs, set, cols, vals] = m!;
    expect(target).toBe('[dbo].[lead_scores]');
    expect(source).toBe('[#leadlift_scores_stage]');
    // ON and the change test, as a join's ON and WHERE.
    const sel = astOf(`SELECT 1 AS x FROM ${target} AS t JOIN ${source} AS s ON ${on} WHERE ${differs}`);
    const onCols: string[] = [];
    for (let e = sel.from[1].on; e; e = e.operator === 'AND' ? e.left : null) {
      const leaf = e.operator === 'AND' ? e.right : e;
      onCols.unshift(leaf.left.column);
      expect(leaf).toMatchObject({ operator: '=', left: { table: 't' }, right: { table: 's' } });
    }
    expect(onCols).toEqual([...KEY_COLUMNS]);
    expect(JSON.stringify(sel.where).match(/"operator":"<>"/g)).toHaveLength(COMPARE_COLUMNS.length);
    // UPDATE SET.
    const upd = astOf(`UPDATE t SET ${set} FROM ${target} AS t JOIN ${source} AS s ON ${on}`);
    expect(upd.set.map((x: Ast) => x.column)).toEqual([...VALUE_COLUMNS, 'updated_at_utc']);
    // INSERT … VALUES: every column from the staging row, then the two timestamps.
    const ins = astOf(`INSERT INTO ${target} (${cols}) VALUES (${vals})`);
    expect(ins.columns).toEqual([...KEY_COLUMNS, ...VALUE_COLUMNS, 'created_at_utc', 'updated_at_utc']);
    const values = ins.values.values[0].value;
    expect(values.slice(0, -2).map((v: Ast) => `${v.table}.${v.column}`)).toEqual(
      [...KEY_COLUMNS, ...VALUE_COLUMNS].map((c) => `s.${c}`),
    );
    expect(values.slice(-2).map((v: Ast) => v.type)).toEqual(['cast', 'cast']);
  });

  it('when the count and history statements are parsed then they read the staging table joined to the scores table', () => {
    const count = astOf(
      stageDiffCountSql('mssql', {
        target: names.scores,
        stage: stage.sqlName,
        keyColumns: KEY_COLUMNS,
        compareColumns: COMPARE_COLUMNS,
      }),
    );
    expect(count.type).toBe('select');
    expect(count.columns.map((c: Ast) => c.as)).toEqual(['inserted', 'updated']);
    const hist = astOf(historyInsertSql('mssql', names, stage.sqlName));
    expect(hist.type).toBe('insert');
    expect(hist.table[0]).toMatchObject({ db: 'dbo', table: 'lead_scores_history' });
    expect(hist.columns).toHaveLength(hist.values.columns.length);
    expect(hist.values.from.map((f: Ast) => f.table)).toEqual(['#leadlift_scores_stage', 'lead_scores']);
  });

  it('when malformed T-SQL is parsed then the parser rejects it, so these checks can fail', () => {
    expect(() => astOf('UPDATE t SET [a] = FROM x')).toThrow();
  });
});

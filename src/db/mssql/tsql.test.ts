// No SQL Server runs here, so the T-SQL leadlift generates or ships is checked by parsing
// it with node-sql-parser's transactsql grammar and comparing the parse tree with what it
// should say. The parser is lenient (it accepts a trailing comma in CREATE TABLE), so the
// tests compare structure, not just "it parsed".

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'node-sql-parser';
import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../../schema/entities.js';
import { REFERENCE_TABLES } from '../../schema/reference.js';
import { ddlFor, TYPE_MAP } from '../ddl.js';
import { mssqlHooks } from '../hooks.js';
import { shippedPackDir } from '../query-pack.js';
import { namedParams } from '../sql-guard.js';
import { insertSql, rowsPerInsert } from '../sql-text.js';

const parser = new Parser();
const TSQL = { database: 'transactsql' } as const;

// biome-ignore lint/suspicious/noExplicitAny: node-sql-parser's AST types are a loose union; the tests read a few known fields.
type Ast = any;
const astOf = (sql: string): Ast => {
  const a = parser.astify(sql, TSQL);
  return Array.isArray(a) ? a[0] : a;
};
const outputName = (col: Ast): string => col.as ?? col.expr.column;

describe('mssql query pack', () => {
  for (const entity of ENTITIES) {
    it(`when ${entity.name}.sql is parsed as T-SQL then it is one SELECT returning the canonical columns in order`, () => {
      const sql = readFileSync(join(shippedPackDir('mssql'), `${entity.name}.sql`), 'utf8');
      const all = parser.astify(sql, TSQL);
      expect(Array.isArray(all) ? all.length : 1).toBe(1);
      let select = astOf(sql);
      expect(select.type).toBe('select');
      expect(select.into?.expr ?? null).toBeNull();
      const names = entity.columns.map((c) => c.name);
      // Every branch of a UNION ALL returns the same names.
      for (; select; select = select._next) expect(select.columns.map(outputName)).toEqual(names);
    });

    it(`when ${entity.name}.sql is parsed then it reads only reference tables and uses only @since/@until`, () => {
      const sql = readFileSync(join(shippedPackDir('mssql'), `${entity.name}.sql`), 'utf8');
      const known = new Set(REFERENCE_TABLES.map((t) => `${t.schema}::${t.name}`.toLowerCase()));
      for (const entry of parser.tableList(sql, TSQL)) {
        const [verb, schema, table] = entry.split('::');
        expect(verb).toBe('select');
        expect(known.has(`${schema}::${table}`.toLowerCase())).toBe(true);
      }
      expect(namedParams(sql, { dialect: 'mssql' }).every((p) => p === 'since' || p === 'until')).toBe(true);
    });
  }

  it('when the windowed files are parsed then each compares created_at with @since and @until', () => {
    for (const name of ['enrollments', 'activities', 'messages', 'outcomes']) {
      const sql = readFileSync(join(shippedPackDir('mssql'), `${name}.sql`), 'utf8');
      expect(namedParams(sql, { dialect: 'mssql' })).toEqual(['since', 'until']);
      expect(sql).toMatch(/\.created_at >= @since AND \w+\.created_at < @until/);
    }
  });
});

describe('insertSql (mssql)', () => {
  it('when a full batch is generated then it parses as one INSERT within 1000 rows and 2100 parameters', () => {
    const columns = ['id', 'org_id', 'name'];
    const n = rowsPerInsert(mssqlHooks, columns.length);
    const ast = astOf(insertSql(mssqlHooks, 'education.campaigns', columns, n));
    expect(ast.type).toBe('insert');
    expect(ast.table[0]).toMatchObject({ db: 'education', table: 'campaigns' });
    expect(ast.columns).toEqual(columns);
    const tuples = ast.values.values;
    expect(tuples.length).toBe(n);
    expect(n).toBeLessThanOrEqual(1000);
    expect(n * columns.length).toBeLessThan(2100);
    const params = tuples.flatMap((t: Ast) => t.value.map((v: Ast) => v.column));
    expect(params).toEqual(Array.from({ length: n * columns.length }, (_, i) => `@p${i}`));
  });

  it('when the batch is one row of a wide table then it still parses', () => {
    const columns = Array.from({ length: 50 }, (_, i) => `c${i}`);
    expect(astOf(insertSql(mssqlHooks, 'dbo.lead_scores', columns, 1)).values.values).toHaveLength(1);
  });
});

describe('ddlFor (mssql)', () => {
  const statements = ddlFor('mssql');
  const creates = statements.filter((s) => s.includes('CREATE TABLE'));
  const indexes = statements.filter((s) => s.startsWith('CREATE INDEX'));
  const schemaStatements = statements.filter((s) => s.startsWith('IF SCHEMA_ID'));

  it('when the DDL is split then every statement is a schema, table or index statement', () => {
    expect(schemaStatements.length + creates.length + indexes.length).toBe(statements.length);
    expect(creates).toHaveLength(REFERENCE_TABLES.length);
  });

  for (const table of REFERENCE_TABLES) {
    it(`when CREATE TABLE ${table.schema}.${table.name} is parsed then its columns, types, nullability and key match the reference`, () => {
      const sql = creates.find((s) => s.includes(`[${table.schema}].[${table.name}] (`))!;
      const ast = astOf(sql);
      expect(ast).toMatchObject({ type: 'create', keyword: 'table' });
      expect(ast.table[0]).toMatchObject({ db: table.schema, table: table.name });
      const defs = ast.create_definitions.filter((d: Ast) => d.resource === 'column');
      expect(defs.map((d: Ast) => d.column.column)).toEqual(table.columns.map((c) => c.name));
      defs.forEach((d: Ast, k: number) => {
        const col = table.columns[k]!;
        const def = d.definition;
        const rendered = `${def.dataType}${def.length !== undefined ? `(${String(def.length).toUpperCase()})` : ''}`;
        expect(rendered).toBe(TYPE_MAP.mssql[col.type]);
        expect(d.nullable.type).toBe(col.notNull ? 'not null' : 'null');
      });
      const pk = ast.create_definitions.find((d: Ast) => d.constraint_type === 'primary key');
      const keyColumns = table.columns.filter((c) => c.primaryKey).map((c) => c.name);
      expect(pk?.definition.map((c: Ast) => c.column) ?? []).toEqual(keyColumns);
    });
  }

  it('when the CREATE INDEX statements are parsed then each names a reference table and its columns', () => {
    const expected = REFERENCE_TABLES.flatMap((t) =>
      (t.indexes ?? []).map((cols) => `${t.schema}.${t.name}(${cols.join(',')})`),
    );
    const got = indexes.map((s) => {
      const ast = astOf(s);
      expect(ast).toMatchObject({ type: 'create', keyword: 'index' });
      return `${ast.table.db}.${ast.table.table}(${ast.index_columns.map((c: Ast) => c.column?.expr?.value ?? c.column).join(',')})`;
    });
    expect(got).toEqual(expected);
  });

  it('when the schema statements are checked then each is IF SCHEMA_ID … EXEC of a CREATE SCHEMA that parses alone', () => {
    // The parser accepts `IF … EXEC(N'…')` but reads EXEC as a variable assignment, so it
    // can't vouch for it: check the statement's exact shape, and parse the inner batch.
    expect(schemaStatements.length).toBeGreaterThan(0);
    for (const s of schemaStatements) {
      const m = /^IF SCHEMA_ID\(N'(\w+)'\) IS NULL EXEC\(N'(CREATE SCHEMA \[(\w+)\])'\)$/.exec(s);
      expect(m).not.toBeNull();
      expect(m![1]).toBe(m![3]);
      expect(astOf(m![2]!)).toMatchObject({ type: 'create', keyword: 'schema' });
    }
    expect(schemaStatements.some((s) => s.includes("'dbo'"))).toBe(false);
  });

  it('when malformed T-SQL is parsed then the parser rejects it, so these checks can fail', () => {
    expect(() => parser.astify('SELECT a FROM t WHERE', TSQL)).toThrow();
    expect(() => parser.astify('INSERT INTO [a] ([b]) VALUES (@p0,', TSQL)).toThrow();
  });
});

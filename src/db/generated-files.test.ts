// The committed generated files (schema/agent-cory.*.sql, docs/schema.md) must equal what
// the generators produce now. LEADLIFT_UPDATE_GENERATED=1 rewrites them instead.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTITIES } from '../schema/entities.js';
import { REFERENCE_TABLES } from '../schema/reference.js';
import { PACKAGE_ROOT } from '../version.js';
import { ddlFilePath, ddlFileText, ddlFor } from './ddl.js';
import { DIALECTS } from './hooks.js';
import { EXTENSION_NEEDS, extensionItems, schemaDocText } from './schema-doc.js';

const update = process.env.LEADLIFT_UPDATE_GENERATED === '1';

function checkFile(relPath: string, expected: string): void {
  const path = join(PACKAGE_ROOT, relPath);
  if (update) writeFileSync(path, expected);
  const actual = readFileSync(path, 'utf8');
  expect(
    actual,
    `${relPath} is out of date: run LEADLIFT_UPDATE_GENERATED=1 npx vitest run src/db/generated-files.test.ts`,
  ).toBe(expected);
}

describe('ddlFileText', () => {
  for (const dialect of DIALECTS) {
    it(`when the ${dialect} DDL is generated then it equals the committed ${ddlFilePath(dialect)}`, () => {
      checkFile(ddlFilePath(dialect), ddlFileText(dialect));
    });
  }
});

describe('schemaDocText', () => {
  it('when the schema doc is generated then it equals the committed docs/schema.md', () => {
    checkFile('docs/schema.md', schemaDocText());
  });

  it('when the doc lists why the extension exists then every extension item is listed exactly once', () => {
    const listed = EXTENSION_NEEDS.flatMap((n) => n.items);
    expect([...listed].sort()).toEqual(extensionItems().sort());
  });

  it('when a table is rendered then each of its columns appears in the doc', () => {
    const doc = schemaDocText();
    for (const t of REFERENCE_TABLES) {
      expect(doc).toContain(`## ${t.schema}.${t.name}`);
      for (const c of t.columns) expect(doc).toContain(`| \`${c.name}\` |`);
    }
  });
});

describe('ddlFor', () => {
  it('when asked for tables then indexes then together they equal the whole DDL as a set', () => {
    for (const dialect of DIALECTS) {
      const parts = [...ddlFor(dialect, { part: 'tables' }), ...ddlFor(dialect, { part: 'indexes' })];
      expect([...parts].sort()).toEqual([...ddlFor(dialect)].sort());
      expect(ddlFor(dialect, { part: 'indexes' }).every((s) => s.startsWith('CREATE INDEX'))).toBe(true);
    }
  });

  it('when generated for SQLite then schemas are folded into table names', () => {
    const ddl = ddlFor('sqlite').join('\n');
    expect(ddl).toContain('CREATE TABLE "education_campaigns" (');
    expect(ddl).toContain('CREATE TABLE "dbo_Education_Cory_Communication_Log" (');
    expect(ddl).not.toContain('CREATE SCHEMA');
  });

  it('when generated for each dialect then types are mapped as documented', () => {
    const pg = ddlFor('postgres').join('\n');
    expect(pg).toContain('CREATE SCHEMA IF NOT EXISTS "education"');
    expect(pg).toMatch(/"created_at" timestamptz/);
    expect(pg).toMatch(/"is_control" boolean/);
    expect(pg).toMatch(/"allocation_weight" double precision/);
    const ms = ddlFor('mssql').join('\n');
    expect(ms).toContain("IF SCHEMA_ID(N'education') IS NULL EXEC(N'CREATE SCHEMA [education]')");
    expect(ms).toMatch(/\[template_text\] NVARCHAR\(MAX\) NULL/);
    expect(ms).toMatch(/\[name\] NVARCHAR\(400\) NULL/);
    expect(ms).toMatch(/\[created_at\] DATETIMEOFFSET\(3\) NULL/);
    expect(ms).toMatch(/\[is_control\] BIT NULL/);
    expect(ms).toMatch(/\[id\] BIGINT NOT NULL/);
  });
});

describe('query pack READMEs', () => {
  it("when a shipped pack's README lists an entity then it lists the entity's columns in order", () => {
    for (const dialect of DIALECTS) {
      const readme = readFileSync(
        join(PACKAGE_ROOT, 'query-packs', `agent-cory-${dialect}`, 'README.md'),
        'utf8',
      );
      for (const e of ENTITIES) expect(readme).toContain(e.columns.map((c) => c.name).join(', '));
    }
  });
});

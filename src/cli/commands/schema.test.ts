// Tests of `leadlift schema` through runCli.

import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ddlFileText, ddlFor, openSource } from '../../db/index.js';
import { captureIo } from '../io.js';
import { runCli } from '../run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'leadlift-schema-'));

describe('leadlift schema', () => {
  it('when run without flags then it prints the SQLite DDL exactly as committed and exits 0', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['schema'], io)).toBe(0);
    expect(io.out()).toBe(ddlFileText('sqlite'));
  });

  it('when --dialect mssql --print is given then it prints the SQL Server DDL', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['schema', '--dialect', 'mssql', '--print'], io)).toBe(0);
    expect(io.out()).toBe(ddlFileText('mssql'));
  });

  it('when --json is given then the statements are printed as JSON', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['--json', 'schema', '--dialect', 'postgres'], io)).toBe(0);
    expect(JSON.parse(io.out())).toEqual({ dialect: 'postgres', statements: ddlFor('postgres') });
  });

  it('when the dialect is unknown then it exits 2 listing the allowed values and the closest', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['schema', '--dialect', 'postgre'], io)).toBe(2);
    expect(io.err()).toContain('sqlite, postgres, mssql');
    expect(io.err()).toContain('Did you mean postgres?');
  });

  it('when --help is asked then every flag is described', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['schema', '--help'], io)).toBe(0);
    for (const flag of ['--dialect', '--print', '--create', '--target-url']) expect(io.out()).toContain(flag);
  });

  it('when --create has a new SQLite target then the file is created with every reference table', async () => {
    const cwd = tmp();
    const io = captureIo({ cwd });
    expect(await runCli(['schema', '--create', '--target-url', 'sqlite:out/new.sqlite'], io)).toBe(0);
    expect(existsSync(join(cwd, 'out/new.sqlite'))).toBe(true);
    expect(io.out()).toContain('Created the reference schema (10 tables');
    const source = await openSource('sqlite:out/new.sqlite', { cwd });
    const rows = [];
    for await (const r of source.stream(
      "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
      {},
    ))
      rows.push(r.name);
    await source.close();
    expect(rows).toContain('education_campaigns');
    expect(rows).toContain('dbo_Education_Cory_Communication_Log');
  });

  it('when the target already has the schema then it exits 4 (db.queryFailed)', async () => {
    const cwd = tmp();
    expect(await runCli(['schema', '--create', '--target-url', 'sqlite:x.sqlite'], captureIo({ cwd }))).toBe(
      0,
    );
    const io = captureIo({ cwd });
    expect(await runCli(['schema', '--create', '--target-url', 'sqlite:x.sqlite'], io)).toBe(4);
    expect(io.err()).toContain('db.queryFailed');
  });

  it('when --create has LEADLIFT_TARGET_URL in the environment then that database is used', async () => {
    const cwd = tmp();
    const io = captureIo({ cwd, env: { LEADLIFT_TARGET_URL: 'sqlite:env.sqlite' } });
    expect(await runCli(['schema', '--create'], io)).toBe(0);
    expect(existsSync(join(cwd, 'env.sqlite'))).toBe(true);
  });

  it('when --create has no target then it exits 2 naming --target-url and LEADLIFT_TARGET_URL', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['schema', '--create'], io)).toBe(2);
    expect(io.err()).toContain('--target-url');
    expect(io.err()).toContain('LEADLIFT_TARGET_URL');
  });

  it('when --dialect disagrees with the target URL then it exits 2', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(
      await runCli(['schema', '--create', '--dialect', 'postgres', '--target-url', 'sqlite:a.sqlite'], io),
    ).toBe(2);
    expect(io.err()).toContain('schema.dialectMismatch');
  });

  it('when --target-url is given without --create then it exits 2 saying to add --create', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['schema', '--target-url', 'sqlite:a.sqlite'], io)).toBe(2);
    expect(io.err()).toContain('--create');
  });

  it('when the target URL is malformed then it exits 2 with db.badUrl and no password', async () => {
    const io = captureIo({ cwd: tmp() });
    expect(await runCli(['schema', '--create', '--target-url', 'oracle://u:topsecret@h/db'], io)).toBe(2);
    expect(io.err()).toContain('db.badUrl');
    expect(io.err()).not.toContain('topsecret');
  });
});

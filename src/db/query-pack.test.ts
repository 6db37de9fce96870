// Tests of query pack loading: shipped packs, missing files, overrides and guard failures.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLeadliftError, type LeadliftError } from '../errors.js';
import { ENTITY_NAMES } from '../schema/entities.js';
import { PACKAGE_ROOT } from '../version.js';
import { DIALECTS } from './hooks.js';
import { loadQueryPack, shippedPackDir } from './query-pack.js';

function packWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'leadlift-pack-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}
const fullPack = (sql = 'SELECT 1 AS a') => Object.fromEntries(ENTITY_NAMES.map((e) => [`${e}.sql`, sql]));

function caught(fn: () => unknown): LeadliftError {
  try {
    fn();
  } catch (e) {
    if (isLeadliftError(e)) return e;
    throw e;
  }
  throw new Error('expected a LeadliftError');
}

describe('shippedPackDir', () => {
  it('when asked for a dialect then it resolves query-packs/agent-cory-<dialect> under the package root', () => {
    expect(shippedPackDir('postgres')).toBe(join(PACKAGE_ROOT, 'query-packs', 'agent-cory-postgres'));
  });
});

describe('loadQueryPack', () => {
  it('when each shipped pack is loaded under its dialect then all 8 files pass the guard and are hashed', () => {
    for (const dialect of DIALECTS) {
      const pack = loadQueryPack(shippedPackDir(dialect), {}, { dialect });
      expect(pack.name).toBe(`agent-cory-${dialect}`);
      expect(Object.keys(pack.files)).toEqual([...ENTITY_NAMES]);
      for (const f of Object.values(pack.files)) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('when a shipped pack is loaded without a dialect then it passes under every dialect’s rules', () => {
    for (const dialect of DIALECTS) expect(() => loadQueryPack(shippedPackDir(dialect))).not.toThrow();
  });

  it('when files are missing then query.missingFile names each, the pack and the expected names', () => {
    const files = fullPack();
    delete files['outcomes.sql'];
    delete files['messages.sql'];
    const dir = packWith(files);
    const e = caught(() => loadQueryPack(dir));
    expect(e.code).toBe('query.missingFile');
    expect(e.message).toContain(join(dir, 'outcomes.sql'));
    expect(e.message).toContain(join(dir, 'messages.sql'));
    expect(e.message).toContain(dir);
    expect(e.message).toContain('contacts.sql, campaigns.sql, campaign_steps.sql');
    expect(e.details.missing).toHaveLength(2);
  });

  it('when an override path is given then that file replaces the entity’s and is resolved from cwd', () => {
    const dir = packWith(fullPack());
    const cwd = packWith({ 'my-outcomes.sql': 'SELECT 2 AS b' });
    const pack = loadQueryPack(dir, { outcomes: 'my-outcomes.sql' }, { cwd });
    expect(pack.files.outcomes).toMatchObject({ path: join(cwd, 'my-outcomes.sql'), sql: 'SELECT 2 AS b' });
  });

  it('when an override path does not exist then query.missingFile names it', () => {
    const dir = packWith(fullPack());
    const e = caught(() => loadQueryPack(dir, { outcomes: '/nope/outcomes.sql' }));
    expect(e.code).toBe('query.missingFile');
    expect(e.message).toContain('/nope/outcomes.sql');
  });

  it('when files write or are empty then every offending file is reported together', () => {
    const dir = packWith({
      ...fullPack(),
      'contacts.sql': 'SELECT 1;\nDELETE FROM x',
      'campaigns.sql': '-- nothing',
    });
    const e = caught(() => loadQueryPack(dir, {}, { cwd: dir }));
    expect(e.code).toBe('query.notSelect');
    expect(e.message).toContain('contacts.sql');
    expect(e.message).toContain('DELETE');
    expect(e.message).toContain('campaigns.sql');
    expect(e.details.problems).toHaveLength(2);
  });

  it('when a file starts with a byte-order mark then it is removed from the SQL but kept in the hash', () => {
    const dir = packWith({ ...fullPack(), 'contacts.sql': '\uFEFFSELECT 1 AS a' });
    const pack = loadQueryPack(dir);
    expect(pack.files.contacts.sql).toBe('SELECT 1 AS a');
    expect(pack.files.contacts.sha256).not.toBe(pack.files.campaigns.sha256);
  });
});

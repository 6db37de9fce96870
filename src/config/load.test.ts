import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

async function dirWith(config?: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leadlift-config-'));
  if (config !== undefined) await writeFile(join(dir, 'leadlift.config.json'), JSON.stringify(config));
  return dir;
}

describe('loadConfig', () => {
  it('when nothing is given then the defaults are used', async () => {
    const config = await loadConfig({ cwd: await dirWith(), env: {} });
    expect(config.sourceUrl).toBe('sqlite:tmp/demo/agent-cory.sqlite');
    expect(config.lookbackDays).toBe(30);
    expect(config.check).toBeDefined();
  });

  it('when file, env and flags all set a key then flags win over env over file', async () => {
    const cwd = await dirWith({
      sourceUrl: 'sqlite:file.sqlite',
      snapshotsDir: 'from-file',
      lookbackDays: 7,
    });
    const env = { LEADLIFT_SOURCE_URL: 'sqlite:env.sqlite', LEADLIFT_SNAPSHOTS_DIR: 'from-env' };
    const config = await loadConfig({
      cwd,
      env,
      flags: { sourceUrl: 'sqlite:flag.sqlite', lookbackDays: undefined },
    });
    expect(config.sourceUrl).toBe('sqlite:flag.sqlite');
    expect(config.snapshotsDir).toBe('from-env');
    expect(config.lookbackDays).toBe(7);
  });

  it('when several values are invalid then every problem is reported at once', async () => {
    const cwd = await dirWith({ lookbackDays: -3, snapshotsDir: 5, unknownKey: true });
    const err = await loadConfig({ cwd, env: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'config.invalid', exitCode: 2 });
    const issues = (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
    expect(issues).toEqual(expect.arrayContaining(['lookbackDays', 'snapshotsDir']));
    expect(issues.length).toBeGreaterThanOrEqual(3);
  });

  it('when the config file is not JSON then config.badJson names the file', async () => {
    const cwd = await dirWith();
    await writeFile(join(cwd, 'leadlift.config.json'), '{\n "targetUrl": postgres://u:s3cret@h/db\n}');
    const err = (await loadConfig({ cwd, env: {} }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({
      code: 'config.badJson',
      message: expect.stringContaining('leadlift.config.json'),
    });
    expect(err.message).not.toContain('s3cret');
  });

  it('when an explicit config file is missing then config.fileNotFound', async () => {
    await expect(loadConfig({ cwd: await dirWith(), env: {}, file: 'absent.json' })).rejects.toMatchObject({
      code: 'config.fileNotFound',
    });
  });
});

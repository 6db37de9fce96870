import { describe, expect, it } from 'vitest';
import { captureIo } from './io.js';
import { runCli } from './run.js';

describe('runCli', () => {
  it('when --help is asked then every command is listed and the exit code is 0', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    for (const name of ['quickstart', 'demo-db', 'extract', 'check', 'clean', 'schema', 'config']) {
      expect(io.out()).toContain(name);
    }
  });

  it('when a command is misspelled then it suggests the closest and exits 2', async () => {
    const io = captureIo();
    expect(await runCli(['extrct'], io)).toBe(2);
    expect(io.err()).toContain('Did you mean extract?');
  });

  it('when a flag is unknown then it exits 2 naming the flag', async () => {
    const io = captureIo();
    expect(await runCli(['extract', '--sinse', '2026-01-01'], io)).toBe(2);
    expect(io.err()).toContain("unknown option '--sinse'");
    expect(io.err()).toContain('--since');
  });

  it('when a command help is asked then its flags are described', async () => {
    const io = captureIo();
    expect(await runCli(['extract', '--help'], io)).toBe(0);
    for (const flag of [
      '--since',
      '--until',
      '--source-url',
      '--query-dir',
      '--out',
      '--outcomes-query-file',
    ]) {
      expect(io.out()).toContain(flag);
    }
  });

  it('when no command is given then help is printed and the exit code is 2', async () => {
    const io = captureIo();
    expect(await runCli([], io)).toBe(2);
    expect(io.out()).toContain('Usage: leadlift');
  });

  it('when --version is asked then the package version is printed', async () => {
    const io = captureIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

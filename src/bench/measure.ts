// One CLI command run in a child process as a user runs it, with its wall time, peak
// resident memory and CPU time (written at exit by rss-probe.ts, loaded with --import).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../version.js';

/** What one measured command took. */
export interface Measured {
  readonly ms: number;
  readonly peakMiB: number;
  /** CPU time of all the process's threads (user + system), ms. */
  readonly cpuMs: number;
  readonly code: number;
}

const BIN = join(PACKAGE_ROOT, 'dist/cli/bin.js');
const PROBE = join(PACKAGE_ROOT, 'dist/bench/rss-probe.js');

/**
 * Runs `leadlift <argv> --quiet` in `dir`. An exit code outside `okCodes` prints the
 * tail of the command's stderr (the measurement is still returned).
 */
export function runMeasured(name: string, argv: readonly string[], dir: string, okCodes = [0]): Measured {
  const probeFile = join(dir, `${name.replace(/[^\w.-]+/g, '_')}.rss`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', PROBE, BIN, ...argv, '--quiet'], {
    cwd: dir,
    env: { ...process.env, LEADLIFT_BENCH_RSS_FILE: probeFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let peakKiB = 0;
  let cpuMs = 0;
  try {
    const [rss = 0, user = 0, system = 0] = readFileSync(probeFile, 'utf8').split(' ').map(Number);
    peakKiB = rss;
    cpuMs = (user + system) / 1000;
  } catch {
    /* the child died before writing it */
  }
  if (!okCodes.includes(r.status ?? -1))
    process.stderr.write(`${name} exited ${r.status}: ${r.stderr.toString().slice(-2000)}\n`);
  return { ms, peakMiB: peakKiB / 1024, cpuMs, code: r.status ?? -1 };
}

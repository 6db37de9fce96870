// Benchmark of demo-db into SQLite: `node dist/demo/bench.js [enrollments] [file]`.
// Prints generation-only and end-to-end throughput; timings live here, not in tests.

import { rmSync } from 'node:fs';
import { openTarget } from '../db/index.js';
import { DemoGenerator } from './generate.js';
import { writeDemoDb } from './write.js';

const n = Number(process.argv[2] ?? 100_000);
const file = process.argv[3] ?? `tmp/bench/demo-${n}.sqlite`;

let t0 = Date.now();
let rows = 0;
for (const b of new DemoGenerator({ enrollments: n }).batches(250))
  for (const t of b.tables) rows += t.rows.length;
const genSeconds = (Date.now() - t0) / 1000;

for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
t0 = Date.now();
const target = await openTarget(`sqlite:${file}`, { cwd: process.cwd(), create: true });
const progress = {
  task: (label: string) => {
    const s = Date.now();
    return {
      tick: () => {},
      done: (x?: string) => console.log(`${label}: ${x ?? ''} ${((Date.now() - s) / 1000).toFixed(1)} s`),
    };
  },
};
await writeDemoDb(target, { enrollments: n }, progress);
await target.close();
const totalSeconds = (Date.now() - t0) / 1000;
console.log(
  JSON.stringify({
    enrollments: n,
    rows,
    generate_seconds: genSeconds,
    generate_rows_per_second: Math.round(rows / genSeconds),
    sqlite_seconds: totalSeconds,
    sqlite_rows_per_second: Math.round(rows / totalSeconds),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);

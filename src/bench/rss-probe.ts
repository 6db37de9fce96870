// Loaded with `node --import` into each benchmarked child process: at exit it writes the
// process's peak resident memory (KiB) to the file named by LEADLIFT_BENCH_RSS_FILE.

import { writeFileSync } from 'node:fs';

const target = process.env.LEADLIFT_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}

// Loaded with `node --import` into each benchmarked child process: at exit it writes the
// process's peak resident memory (KiB) and CPU time of all its threads (user and system,
// µs) to the file named by LEADLIFT_BENCH_RSS_FILE, as `maxRSS user system`.

import { writeFileSync } from 'node:fs';

const target = process.env.LEADLIFT_BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(target, `${u.maxRSS} ${u.userCPUTime} ${u.systemCPUTime}`);
  });
}

#!/usr/bin/env node
// The leadlift executable: the only place that calls process.exit.

import { runCli } from './run.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  isTTY: process.stderr.isTTY === true,
});
process.exitCode = code;

// The tool's version and the git commit it was built from, for manifests.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root folder of the installed package (holds package.json and query-packs/). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** leadlift's version from package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

let gitSha: string | null | undefined;

/** The git commit of the package checkout, or null outside a git checkout. */
export function gitCommit(): string | null {
  if (gitSha === undefined) {
    try {
      gitSha = execFileSync('git', ['rev-parse', 'HEAD'], {
        cwd: PACKAGE_ROOT,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      gitSha = null;
    }
  }
  return gitSha;
}

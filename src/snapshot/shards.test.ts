import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import { tempDir } from '../test-support/snapshot.js';
import { splitRowFile } from './rows.js';
import {
  fileLineOf,
  MIN_SHARD_BYTES,
  runShards,
  shardBadLine,
  shardCount,
  workerAvailable,
} from './shards.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe('shardCount', () => {
  it('when the file is small then it is one shard; when big, at most 4; a request wins', () => {
    expect(shardCount(MIN_SHARD_BYTES - 1)).toBe(1);
    expect(shardCount(100 * MIN_SHARD_BYTES)).toBeGreaterThanOrEqual(1);
    expect(shardCount(100 * MIN_SHARD_BYTES)).toBeLessThanOrEqual(4);
    expect(shardCount(100 * MIN_SHARD_BYTES, undefined, 1_000)).toBe(1);
    expect(shardCount(10, 3)).toBe(3);
    expect(shardCount(10, 0)).toBe(1);
  });
});

describe('workerAvailable', () => {
  it('when the script is TypeScript or missing then workers are not used', async () => {
    expect(workerAvailable(new URL('./worker.js', import.meta.url))).toBe(false);
    await writeFile(join(dir, 'w.ts'), '');
    expect(workerAvailable(pathToFileURL(join(dir, 'w.ts')))).toBe(false);
    await writeFile(join(dir, 'w.js'), '');
    expect(workerAvailable(pathToFileURL(join(dir, 'w.js')))).toBe(true);
  });
});

describe('runShards', () => {
  const noWorker = new URL('./no-such-worker.js', import.meta.url);

  it('when run in this thread then results come back in input order and ticks add up', async () => {
    let ticks = 0;
    const out = await runShards(
      noWorker,
      async (x: number, tick) => {
        tick(x);
        return x * 10;
      },
      [3, 1, 2],
      (n) => {
        ticks += n;
      },
    );
    expect(out).toEqual([30, 10, 20]);
    expect(ticks).toBe(6);
  });

  it('when a shard throws then the error propagates', async () => {
    await expect(
      runShards(
        noWorker,
        async (x: number) => {
          if (x === 2) throw new Error('boom');
          return x;
        },
        [1, 2],
        () => {},
      ),
    ).rejects.toThrow('boom');
  });
});

describe('splitRowFile', () => {
  it('when a file is split then the ranges hold whole lines, skip the header and cover every row once', async () => {
    const path = join(dir, 'r.jsonl');
    const rows = Array.from({ length: 50 }, (_, i) => `["${'x'.repeat(i % 7)}",${i}]`);
    await writeFile(path, `["a","b"]\n${rows.join('\n')}\n`);
    const { columns, ranges } = await splitRowFile(path, 4);
    expect(columns).toEqual(['a', 'b']);
    expect(ranges.length).toBe(4);
    expect(ranges[0]!.start).toBe(10);
    for (let k = 1; k < ranges.length; k++) expect(ranges[k]!.start).toBe(ranges[k - 1]!.end);
    const buf = await readFile(path);
    const text = ranges.map((r) => buf.subarray(r.start, r.end).toString('utf8')).join('');
    expect(text).toBe(`${rows.join('\n')}\n`);
    for (const r of ranges) expect(buf[r.end - 1]).toBe(10);
  });

  it('when the file has only a header then there are no ranges', async () => {
    const path = join(dir, 'h.jsonl');
    await writeFile(path, '["a"]\n');
    expect((await splitRowFile(path, 2)).ranges).toEqual([]);
  });
});

describe('fileLineOf', () => {
  it('when a shard reports a malformed row then the line number counts the lines before the shard', async () => {
    const path = join(dir, 'r.jsonl');
    await writeFile(path, '["a"]\n["1"]\n\n["2"]\n["3"]\n["4"]\n');
    const start = Buffer.byteLength('["a"]\n["1"]\n\n["2"]\n');
    let err: unknown;
    try {
      shardBadLine(path, { start, end: start + 12 }, 1);
    } catch (e) {
      err = e;
    }
    const fixed = await fileLineOf(err);
    // Lines before the shard: header, "1", "2" (the empty line is not counted) → row 1 of the shard is line 5.
    expect(isLeadliftError(fixed, 'snapshot.badLine') && fixed.details.line).toBe(5);
  });

  it('when the error is something else then it is returned unchanged', async () => {
    const e = new Error('x');
    expect(await fileLineOf(e)).toBe(e);
  });
});

describe('splitRowFile on bad files', () => {
  it('when the file is empty or has no header array then it fails with the snapshot codes', async () => {
    await writeFile(join(dir, 'empty.jsonl'), '');
    await writeFile(join(dir, 'nohdr.jsonl'), '{"a":1}\n["x"]\n');
    await expect(splitRowFile(join(dir, 'empty.jsonl'), 2)).rejects.toSatisfy((e) =>
      isLeadliftError(e, 'snapshot.emptyFile'),
    );
    await expect(splitRowFile(join(dir, 'nohdr.jsonl'), 2)).rejects.toSatisfy((e) =>
      isLeadliftError(e, 'snapshot.badHeader'),
    );
  });
});

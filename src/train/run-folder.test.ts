// The run folder's streamed files: chunked CSV text equal to the one-string form, and
// chunked files hashed in the manifest as their bytes on disk.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/snapshot.js';
import { CSV_CHUNK_ROWS, formatCsv, formatCsvChunks } from './csv.js';
import { sha256, writeRunFiles } from './run-folder.js';

const rowOf = (i: number) => [`id${i}`, i / 7, i % 3 === 0 ? 'a, "quoted" b' : 'c'];

describe('formatCsvChunks', () => {
  it.each([0, 1, CSV_CHUNK_ROWS - 1, CSV_CHUNK_ROWS, CSV_CHUNK_ROWS + 1, 2 * CSV_CHUNK_ROWS + 5])(
    'when %i rows are chunked then the chunks join to formatCsv of the same rows',
    (n) => {
      const header = ['id', 'x', 'note'];
      const chunks = [...formatCsvChunks(header, n, rowOf)];
      const rows = Array.from({ length: n }, (_, i) => rowOf(i));
      expect(chunks.join('')).toBe(formatCsv(header, rows));
      expect(chunks).toHaveLength(1 + Math.ceil(n / CSV_CHUNK_ROWS));
    },
  );
});

describe('writeRunFiles', () => {
  it('when a file is given as chunks then it is written whole and hashed as its bytes', async () => {
    const { dir, cleanup } = await tempDir('leadlift-run-folder-');
    try {
      const n = CSV_CHUNK_ROWS + 3;
      const run = join(dir, 'run');
      const hashes = await writeRunFiles(
        run,
        { 'a.csv': formatCsvChunks(['id', 'x', 'note'], n, rowOf), 'b.txt': 'text' },
        { format: 'test' },
      );
      const a = await readFile(join(run, 'a.csv'));
      expect(a.toString('utf8')).toBe(
        formatCsv(
          ['id', 'x', 'note'],
          Array.from({ length: n }, (_, i) => rowOf(i)),
        ),
      );
      expect(hashes['a.csv']).toBe(sha256(a));
      expect(hashes['b.txt']).toBe(sha256('text'));
      const manifest = JSON.parse(await readFile(join(run, 'manifest.json'), 'utf8'));
      expect(manifest.files).toEqual(hashes);
    } finally {
      await cleanup();
    }
  });
});

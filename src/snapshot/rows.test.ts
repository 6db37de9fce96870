import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLeadliftError } from '../errors.js';
import { tempDir } from '../test-support/snapshot.js';
import { sha256File } from './manifest.js';
import { type CellValue, copyRows, fileSha256, openRows, RowScanner, RowWriter, readLines } from './rows.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const ROWS: CellValue[][] = [
  ['a', 1, null, true, 'line\nbreak "quoted" \\ back'],
  ['b', -2.5e-3, 'é✓ 😀', false, ''],
  ['c', 0, '[not, an, array]', null, '\u0000\u001f'],
];

async function writeSample(name = 'rows.jsonl') {
  const w = new RowWriter(join(dir, name), ['id', 'n', 's', 'b', 't']);
  for (const r of ROWS) w.write(r);
  return { path: join(dir, name), info: await w.close() };
}

describe('RowScanner', () => {
  it('when lines written by JSON.stringify are scanned then every cell decodes to the value JSON.parse gives', () => {
    const s = new RowScanner();
    for (const r of ROWS) {
      const line = JSON.stringify(r);
      expect(s.scan(line)).toBe(true);
      expect(s.count).toBe(r.length);
      expect(Array.from({ length: s.count }, (_, i) => s.value(i))).toEqual(r);
      expect(`[${s.rawRange(0, s.count - 1)}]`).toBe(line);
    }
  });

  it('when cells are separated by whitespace then they are still found', () => {
    const s = new RowScanner();
    expect(s.scan(' [ "a" , 1 ,null ] ')).toBe(true);
    expect([s.value(0), s.value(1), s.value(2)]).toEqual(['a', 1, null]);
    expect(s.raw(0)).toBe('"a"');
  });

  it('when a line has more than 64 cells then the scanner grows', () => {
    const s = new RowScanner();
    const row = Array.from({ length: 200 }, (_, i) => i);
    expect(s.scan(JSON.stringify(row))).toBe(true);
    expect(s.value(199)).toBe(199);
  });

  it.each(['', '{"a":1}', '["a",', '["a" "b"]', '["unterminated]', '["a",[1]]', '["a"] x', '[1,]'])(
    'when the line is %j then scan returns false',
    (line) => {
      expect(new RowScanner().scan(line)).toBe(false);
    },
  );

  it('when a cell is not a JSON scalar then value() returns undefined', () => {
    const s = new RowScanner();
    expect(s.scan('[nul,True,abc,0x10,"ok","bad \\q"]')).toBe(true);
    expect([s.value(0), s.value(1), s.value(2), s.value(4), s.value(5)]).toEqual([
      undefined,
      undefined,
      undefined,
      'ok',
      undefined,
    ]);
  });

  it('when the line is an empty array then it has no cells', () => {
    const s = new RowScanner();
    expect(s.scan('[]')).toBe(true);
    expect(s.count).toBe(0);
  });
});

describe('openRows', () => {
  it('when read row by row, in batches or as lines then the rows are the same', async () => {
    const { path } = await writeSample();
    const byRow: CellValue[][] = [];
    for await (const r of await openRows(path)) byRow.push(r);
    const byBatch: CellValue[][] = [];
    for await (const b of (await openRows(path)).batches()) byBatch.push(...b);
    const lines: string[] = [];
    for await (const b of (await openRows(path)).lineBatches()) lines.push(...b);
    expect(byRow).toEqual(ROWS);
    expect(byBatch).toEqual(ROWS);
    expect(lines.map((l) => JSON.parse(l))).toEqual(ROWS);
  });

  it('when the file has a byte-order mark and no final newline then it still reads', async () => {
    const path = join(dir, 'bom.jsonl');
    await writeFile(path, '\uFEFF["a"]\n["x"]');
    const reader = await openRows(path);
    expect(reader.columns).toEqual(['a']);
    const rows: CellValue[][] = [];
    for await (const r of reader) rows.push(r);
    expect(rows).toEqual([['x']]);
  });

  it('when a few non-ASCII lines are spread over several read chunks then every line reads back as written', async () => {
    // ~3 MiB of ASCII lines with a multi-byte line every 997 lines, some right at chunk
    // edges' neighbourhood, plus empty lines (skipped) and a byte-order mark.
    const written: string[] = [];
    let text = '\uFEFF["h"]\n';
    for (let i = 0; text.length < 3 << 20; i++) {
      const line = JSON.stringify([i % 997 === 0 ? `é✓ 😀 ${i}` : `row ${i} ${'x'.repeat(i % 300)}`]);
      written.push(line);
      text += i % 5000 === 0 ? `${line}\n\n` : `${line}\n`;
    }
    text += '["last"]';
    written.push('["last"]');
    const path = join(dir, 'mixed.jsonl');
    await writeFile(path, text);
    const lines: string[] = [];
    for await (const line of readLines(path)) lines.push(line);
    expect(lines[0]).toBe('["h"]');
    expect(lines.slice(1)).toEqual(written);
  });

  it('when a line is malformed then reading fails with snapshot.badLine and the line number', async () => {
    const path = join(dir, 'bad.jsonl');
    await writeFile(path, '["a"]\n["x"]\n["y"\n');
    const reader = await openRows(path);
    await expect(
      (async () => {
        for await (const _ of reader) {
        }
      })(),
    ).rejects.toSatisfy((e) => isLeadliftError(e, 'snapshot.badLine') && e.details.line === 3);
  });
});

describe('RowWriter', () => {
  it('when rows are written with write and writeLine then the file, bytes and sha256 agree', async () => {
    const w = new RowWriter(join(dir, 'w.jsonl'), ['id']);
    w.write(['a']);
    w.writeLine('["é"]');
    await w.flush();
    const info = await w.close();
    const text = await readFile(join(dir, 'w.jsonl'), 'utf8');
    expect(text).toBe('["id"]\n["a"]\n["é"]\n');
    expect(info).toMatchObject({ rows: 2, bytes: Buffer.byteLength(text), columns: ['id'] });
    expect(info.sha256).toBe(await sha256File(join(dir, 'w.jsonl')));
  });

  /** The bytes a row file of `rows` must hold: the header and rows as JSON lines. */
  const expected = (columns: string[], rows: CellValue[][]): Buffer =>
    Buffer.from(`${[columns, ...rows].map((r) => JSON.stringify(r)).join('\n')}\n`, 'utf8');
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('when one row is larger than the 1 MiB chunk then the file, bytes and sha256 equal the joined lines', async () => {
    const rows: CellValue[][] = [
      ['small', 'a'],
      ['ascii', 'x'.repeat(1_500_000)],
      ['wide', 'é😀\u2028'.repeat(200_000)],
      ['after', 'b'],
    ];
    const w = new RowWriter(join(dir, 'huge.jsonl'), ['id', 't']);
    for (const r of rows) w.write(r);
    const info = await w.close();
    const want = expected(['id', 't'], rows);
    const got = await readFile(join(dir, 'huge.jsonl'));
    expect(got.equals(want)).toBe(true);
    expect(info).toMatchObject({ rows: 4, bytes: want.length });
    expect(info.sha256).toBe(sha(want));
    const back: CellValue[][] = [];
    for await (const r of await openRows(join(dir, 'huge.jsonl'))) back.push(r);
    expect(back).toEqual(rows);
  });

  it('when rows of multi-byte characters straddle the 1 MiB chunk edges then the bytes and sha256 equal the joined lines', async () => {
    // Rows of 0–1,499 characters cycling through é (2 bytes), 😀 (4), U+2028 (3) and x
    // (1): the ~6 MiB file crosses six 1 MiB chunk edges, each with a row of multi-byte
    // characters that would straddle it (a writer that cut a row at the edge, or sized its
    // room by UTF-16 units, would lose or mangle bytes there).
    const chars = ['é', '😀', '\u2028', 'x'];
    const rows: CellValue[][] = [];
    let total = 0;
    for (let i = 0; total < 6 << 20; i++) {
      const text = Array.from({ length: (i * 7919) % 1_500 }, (_, j) => chars[(i + j) % 4]).join('');
      const row = [i, text];
      rows.push(row);
      total += Buffer.byteLength(JSON.stringify(row)) + 1;
    }
    const w = new RowWriter(join(dir, 'edges.jsonl'), ['i', 't']);
    for (const r of rows) w.write(r);
    const info = await w.close();
    const want = expected(['i', 't'], rows);
    expect((await readFile(join(dir, 'edges.jsonl'))).equals(want)).toBe(true);
    expect(info).toMatchObject({ rows: rows.length, bytes: want.length });
    expect(info.sha256).toBe(sha(want));
    let n = 0;
    for await (const r of await openRows(join(dir, 'edges.jsonl'))) {
      if (JSON.stringify(r) !== JSON.stringify(rows[n])) throw new Error(`row ${n} differs`);
      n++;
    }
    expect(n).toBe(rows.length);
  });

  it("when a part is written unhashed, renamed and hashed as a file (clean's one-part branch) then bytes and sha256 equal the joined lines", async () => {
    const rows: CellValue[][] = [
      ['a', 'é😀\u2028'],
      ['b', 'y'.repeat(1_200_000)],
      ['c', null],
    ];
    const part = join(dir, 'part-0.jsonl');
    const w = new RowWriter(part, ['id', 't'], { sha256: false });
    for (const r of rows) w.write(r);
    const info = await w.close();
    expect(info.sha256).toBe('');
    const final = join(dir, 'final.jsonl');
    await rename(part, final);
    const want = expected(['id', 't'], rows);
    expect((await readFile(final)).equals(want)).toBe(true);
    expect(info.bytes).toBe(want.length);
    expect(await fileSha256(final)).toBe(sha(want));
  });

  it('when many chunks are written with flushes between writes then chunks are reused and bytes and sha256 equal a one-shot write', async () => {
    // ~24 MiB in rounds of ~1.5 MiB: each round hands the stream a chunk or two, and every
    // other round waits until the stream is done with them, so they come back to the pool
    // and later rounds encode into them (rows differ from round to round, so a chunk reused
    // while the stream still wrote it, or stale bytes past a row, would change the file).
    const chars = ['a', 'é', '😀', '\u2028', 'z'];
    const rows: CellValue[][] = [];
    const w = new RowWriter(join(dir, 'reuse.jsonl'), ['round', 'i', 't']);
    let reused = 0;
    let pooled = 0;
    for (let round = 0; round < 16; round++) {
      const before = w.spareChunks;
      let bytes = 0;
      for (let i = 0; bytes < 1_500_000; i++) {
        const text = Array.from(
          { length: (round * 131 + i * 37) % 900 },
          (_, j) => chars[(round + i + j) % 5],
        ).join('');
        const row: CellValue[] = [round, i, text];
        rows.push(row);
        w.write(row);
        bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
      }
      // Writing handed over at least one chunk: one taken from the pool when it had any.
      if (w.spareChunks < before) reused++;
      await w.flush();
      if (round % 2 === 0) {
        for (let t = 0; t < 3000 && w.spareChunks === 0; t++) await new Promise((r) => setTimeout(r, 5));
        pooled = Math.max(pooled, w.spareChunks);
      }
    }
    const info = await w.close();
    expect(pooled).toBeGreaterThan(0);
    expect(reused).toBeGreaterThan(0);
    // Closed: the pool is let go.
    expect(w.spareChunks).toBe(0);
    const want = expected(['round', 'i', 't'], rows);
    expect(want.length).toBeGreaterThan(20 << 20);
    expect((await readFile(join(dir, 'reuse.jsonl'))).equals(want)).toBe(true);
    expect(info).toMatchObject({ rows: rows.length, bytes: want.length });
    expect(info.sha256).toBe(sha(want));
  });

  it('when a writer with pooled chunks is aborted then the pool is let go and the file removed', async () => {
    const w = new RowWriter(join(dir, 'aborted.jsonl'), ['t']);
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 30; i++) w.write([big]);
    await w.flush();
    for (let t = 0; t < 3000 && w.spareChunks === 0; t++) await new Promise((r) => setTimeout(r, 5));
    expect(w.spareChunks).toBeGreaterThan(0);
    await w.abort();
    expect(w.spareChunks).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('when more than a megabyte is written between flushes then no listener warning piles up and all rows land', async () => {
    const w = new RowWriter(join(dir, 'big.jsonl'), ['t']);
    const big = 'x'.repeat(10_000);
    for (let i = 0; i < 2_000; i++) w.write([big]);
    for (let i = 0; i < 20; i++) await w.flush();
    const info = await w.close();
    expect(info.rows).toBe(2_000);
  });
});

describe('copyRows', () => {
  it('when every other row is kept then the header and those rows are copied byte for byte', async () => {
    const { path } = await writeSample();
    const info = await copyRows(path, join(dir, 'copy.jsonl'), (i) => i !== 1);
    const lines: string[] = [];
    for await (const l of readLines(join(dir, 'copy.jsonl'))) lines.push(l);
    expect(lines.map((l) => JSON.parse(l))).toEqual([['id', 'n', 's', 'b', 't'], ROWS[0], ROWS[2]]);
    expect(info).toMatchObject({ rows: 2, columns: ['id', 'n', 's', 'b', 't'] });
    expect(info.sha256).toBe(await sha256File(join(dir, 'copy.jsonl')));
    expect(info.bytes).toBe((await readFile(join(dir, 'copy.jsonl'))).length);
  });

  it('when every row is kept then the copy is identical to the source', async () => {
    const { path, info: src } = await writeSample();
    const info = await copyRows(path, join(dir, 'same.jsonl'), () => true);
    expect(info.sha256).toBe(src.sha256);
    expect(info.rows).toBe(3);
  });

  it('when rows span many read chunks then row numbering stays right', async () => {
    const w = new RowWriter(join(dir, 'many.jsonl'), ['i', 'pad']);
    const pad = 'p'.repeat(700);
    for (let i = 0; i < 5_000; i++) w.write([i, pad]);
    await w.close();
    const info = await copyRows(join(dir, 'many.jsonl'), join(dir, 'odd.jsonl'), (i) => i % 2 === 1);
    expect(info.rows).toBe(2_500);
    const kept: number[] = [];
    for await (const r of await openRows(join(dir, 'odd.jsonl'))) kept.push(r[0] as number);
    expect(kept.every((v, k) => v === 2 * k + 1)).toBe(true);
  });

  it('when the last line has no newline then it is copied with one', async () => {
    await writeFile(join(dir, 'nonl.jsonl'), '["a"]\n["x"]\n["y"]');
    const info = await copyRows(join(dir, 'nonl.jsonl'), join(dir, 'out.jsonl'), () => true);
    expect(await readFile(join(dir, 'out.jsonl'), 'utf8')).toBe('["a"]\n["x"]\n["y"]\n');
    expect(info.rows).toBe(2);
  });
});

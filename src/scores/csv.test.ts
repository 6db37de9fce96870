// The fast predictions.csv reader agrees with the general CSV reader and names bad lines.

import { describe, expect, it } from 'vitest';
import { parseCsv } from '../train/csv.js';
import { readCsvColumns } from './csv.js';

describe('readCsvColumns', () => {
  it('when a file has quotes, doubled quotes, commas, line breaks, CRLF and blank lines then it reads like parseCsv', () => {
    const text = 'a,b,c\r\n1,"x, y",""\r\n\r\n2,"say ""hi""","two\nlines"\n3,,plain\n"4",last,"; semi"';
    const fast = readCsvColumns(text, 't.csv');
    const ref = parseCsv(text, 't.csv', ',');
    expect(fast.header).toEqual(ref.header);
    expect(fast.nRows).toBe(ref.nRows);
    expect(fast.columns).toEqual(ref.columns);
    expect(fast.columns[1]).toEqual(['x, y', 'say "hi"', '', 'last']);
  });

  it('when a row has the wrong width or a quote is never closed then it throws scores.csvMalformed naming the line', () => {
    expect(() => readCsvColumns('a,b\n1,2\n3\n', 't.csv')).toThrow(/1 row\(s\) .* 2 fields \(lines 3\)/);
    expect(() => readCsvColumns('a,b\n1,"2\n', 't.csv')).toThrow(/opened on line 2 is never closed/);
    expect(() => readCsvColumns('', 't.csv')).toThrow(/is empty/);
  });
});

import { describe, expect, it } from 'vitest';
import { argsortDescending } from '../numeric/sort.js';
import { descendingOrder } from './order.js';

describe('descendingOrder', () => {
  it('when called again on an unchanged array then the same order is returned without sorting again', () => {
    const s = Float64Array.from([0.2, 0.9, Number.NaN, 0.9, 0.1]);
    const a = descendingOrder(s);
    expect(Array.from(a)).toEqual(Array.from(argsortDescending(s)));
    expect(descendingOrder(s)).toBe(a);
    // An equal array elsewhere is sorted on its own.
    expect(descendingOrder(s.slice())).not.toBe(a);
  });

  it('when the array was changed in place then it is sorted again', () => {
    const s = Float64Array.from([0.2, 0.9, 0.5]);
    const a = descendingOrder(s);
    s[0] = 1;
    const b = descendingOrder(s);
    expect(b).not.toBe(a);
    expect(Array.from(b)).toEqual([0, 1, 2]);
  });
});

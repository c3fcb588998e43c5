import { describe, expect, it } from 'vitest';
import { CurrencyTotals, minorOf, moneyText, ratioFromUnits, ratioText, ratioUnits } from './amounts';
import { csvField, toCsv } from './csv';
import { firstCollectionYear, undistributed, undistributedByCollectionYear, type PoolState } from './pool-ledger';

const pool = (years: Array<[number, bigint]>, distributed: bigint): PoolState => ({
  collectiveId: 'C', account: 'pool:C:performing:ktv:2026Q3', rightType: 'performing', useType: 'ktv', period: '2026Q3', currency: 'CNY',
  collectedByYear: new Map(years), distributed,
});

describe('exact amounts', () => {
  it('reads numeric sums as minor units and prints them at the currency scale', () => {
    expect(minorOf('1234.5', 'CNY')).toBe(123450n);
    expect(minorOf('0', 'CNY')).toBe(0n);
    expect(minorOf(null, 'CNY')).toBe(0n);
    expect(minorOf('-0.05', 'CNY')).toBe(-5n);
    expect(moneyText(123450n, 'CNY')).toBe('1234.50');
    expect(moneyText(7n, 'JPY')).toBe('7');
    // Beyond 2^53: no float anywhere.
    expect(moneyText(minorOf('90071992547409.93', 'CNY') + 1n, 'CNY')).toBe('90071992547409.94');
  });

  it('divides exactly, rounding half-even at six places', () => {
    expect(ratioText(150n, 1000n)).toBe('0.150000');
    expect(ratioText(1n, 3n)).toBe('0.333333');
    expect(ratioText(2n, 3n)).toBe('0.666667');
    expect(ratioText(1n, 8_000_000n)).toBe('0.000000'); // 0.000000125 → half-even down
    expect(ratioText(3n, 8_000_000n)).toBe('0.000000'); // 0.000000375 → 0.000000
    expect(ratioText(5n, 1n)).toBe('5.000000');
    expect(ratioText(1n, 0n)).toBeNull();
    expect(ratioText(-1n, 4n)).toBe('-0.250000');
    expect(ratioText(1n, -4n)).toBe('-0.250000');
    expect(ratioFromUnits(ratioUnits('0.150000') - ratioUnits('0.100000'))).toBe('0.050000');
    expect(ratioFromUnits(ratioUnits('0.100000') - ratioUnits('0.150000'))).toBe('-0.050000');
  });

  it('keeps totals per currency', () => {
    const t = new CurrencyTotals().add('USD', 5n).add('CNY', 100n).add('CNY', 1n);
    expect(t.toList()).toEqual([{ currency: 'CNY', amount: '1.01' }, { currency: 'USD', amount: '0.05' }]);
  });
});

describe('undistributed money by year of collection', () => {
  it('spends the oldest collections first', () => {
    const p = pool([[2026, 1000n], [2027, 500n]], 1200n);
    expect(undistributed(p)).toBe(300n);
    expect(undistributedByCollectionYear(p)).toEqual([{ year: 2027, minor: 300n }]);
    expect(undistributedByCollectionYear(pool([[2026, 1000n], [2027, 500n]], 400n))).toEqual([{ year: 2026, minor: 600n }, { year: 2027, minor: 500n }]);
    expect(undistributedByCollectionYear(pool([[2026, 1000n]], 1000n))).toEqual([]);
  });

  it('lets a later reversal reduce the oldest money, like a distribution', () => {
    const p = pool([[2026, 1000n], [2027, -100n], [2028, 50n]], 200n);
    expect(undistributed(p)).toBe(750n);
    expect(undistributedByCollectionYear(p)).toEqual([{ year: 2026, minor: 700n }, { year: 2028, minor: 50n }]);
    expect(firstCollectionYear(p)).toBe(2026);
    expect(firstCollectionYear(undefined)).toBeUndefined();
  });
});

describe('RFC 4180 CSV', () => {
  it('quotes exactly the fields that need it and ends every row with CRLF', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(2026)).toBe('2026');
    expect(toCsv(['a', 'b'], [['1', null], ['x,y', 2]])).toBe('a,b\r\n1,\r\n"x,y",2\r\n');
  });
});

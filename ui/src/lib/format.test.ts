import { describe, expect, it } from 'vitest';
import { formatDecimal, formatMoney, formatRatioAsPercent, isMoneyInput, isRateInput, sumDecimals } from './format';

describe('formatDecimal', () => {
  it('keeps every digit beyond 2^53', () => {
    // 2^53 + 1 = 9007199254740993 is not representable as a double: through Number it would print ...992.
    expect(formatDecimal('9007199254740993.01', 'en')).toBe('9,007,199,254,740,993.01');
    expect(formatDecimal('999999999999999999.99', 'en')).toBe('999,999,999,999,999,999.99');
    expect(formatDecimal('9007199254740993.01', 'zh-CN')).toBe('9,007,199,254,740,993.01');
  });
  it('keeps the fraction digits as given and the sign', () => {
    expect(formatDecimal('0.10', 'en')).toBe('0.10');
    expect(formatDecimal('-1234.5', 'en')).toBe('-1,234.5');
    expect(formatDecimal('-0.00', 'en')).toBe('0.00');
    expect(formatDecimal('12', 'en')).toBe('12');
  });
  it('uses the locale’s separators', () => {
    expect(formatDecimal('1234567.89', 'de-DE')).toBe('1.234.567,89');
  });
  it('returns what is not a decimal unchanged', () => {
    expect(formatDecimal('abc', 'en')).toBe('abc');
    expect(formatDecimal(null, 'en')).toBe('—');
  });
});

describe('formatMoney', () => {
  it('places the currency symbol per locale and keeps the exact digits', () => {
    expect(formatMoney('9007199254740993.01', 'CNY', 'en')).toBe('CN¥9,007,199,254,740,993.01');
    expect(formatMoney('9007199254740993.01', 'CNY', 'zh-CN')).toBe('¥9,007,199,254,740,993.01');
    expect(formatMoney('-58458.40', 'CNY', 'zh-CN')).toBe('-¥58,458.40');
    expect(formatMoney('1000', 'JPY', 'en')).toBe('¥1,000');
  });
});

describe('formatRatioAsPercent', () => {
  it('moves the decimal point on the string and rounds half up', () => {
    expect(formatRatioAsPercent('0.150000', 'en')).toBe('15.00%');
    expect(formatRatioAsPercent('0.123456', 'en')).toBe('12.35%');
    expect(formatRatioAsPercent('1.000000', 'en', 1)).toBe('100.0%');
    expect(formatRatioAsPercent('0.000049', 'en')).toBe('0.00%');
    expect(formatRatioAsPercent(null, 'en')).toBe('—');
  });
});

describe('sumDecimals', () => {
  it('adds exactly beyond 2^53', () => {
    expect(sumDecimals(['9007199254740992.00', '1.01', '-0.01'])).toBe('9007199254740993.00');
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals([])).toBe('0');
  });
});

describe('money and rate inputs', () => {
  it('accepts decimal strings at the currency scale', () => {
    expect(isMoneyInput('1234.50', 'CNY')).toBe(true);
    expect(isMoneyInput('1234.5', 'CNY')).toBe(true);
    expect(isMoneyInput('99999999999999999999.99', 'CNY')).toBe(true);
    expect(isMoneyInput('1200', 'JPY')).toBe(true);
  });
  it('refuses floats, signs, exponents, separators and too many digits', () => {
    for (const v of ['', '1.234', '-1.00', '+1', '1e3', '1,000.00', ' 1.00', '.5', '1.', 'abc']) expect(isMoneyInput(v, 'CNY'), v).toBe(false);
    expect(isMoneyInput('12.5', 'JPY')).toBe(false);
  });
  it('checks rates as strings', () => {
    expect(isRateInput('0.025')).toBe(true);
    expect(isRateInput('2.345')).toBe(true);
    expect(isRateInput('2.5%')).toBe(false);
    expect(isRateInput('-0.1')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bankAccountIdent, isAccountIdent, nameIdent, parseAccountOption } from '../../../src/model/bankAccount.js';
import { currencyDecimals } from '../../../src/model/currency.js';
import { normaliseHolderName } from '../../../src/model/holderName.js';
import { canonicalIban, ibanProblem, IBAN_LENGTHS, isValidIban, makeIban } from '../../../src/model/iban.js';
import { formatLocalDate, localMidnightUtc } from '../../../src/model/localDate.js';
import { parseStatementAmount } from '../../../adapters/bank/amountText.js';
import { compileDateFormat } from '../../../adapters/bank/dateFormat.js';

describe('IBAN (ISO 13616)', () => {
  it('accepts the registry examples, spaced or not, and compacts them', () => {
    // SWIFT IBAN Registry / ECBS examples.
    for (const iban of [
      'DE89 3704 0044 0532 0130 00',
      'GB29NWBK60161331926819',
      'NL91ABNA0417164300',
      'AT611904300234573201',
      'CH9300762011623852957',
      'FR1420041010050500013M02606',
      'NO9386011117947',
      'MT84MALT011000012345MTLCAST001S',
    ]) {
      expect(isValidIban(iban)).toBe(true);
    }
    expect(canonicalIban('de89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
  });

  it('says what is wrong: checksum, length, country, characters', () => {
    expect(ibanProblem('DE88370400440532013000')).toEqual({ problem: 'checksum', message: 'IBAN DE88370400440532013000: bad check digits (ISO 13616 mod-97)' });
    expect(ibanProblem('DE8937040044053201300')?.message).toBe('IBAN DE8937040044053201300: DE IBANs have 22 characters, this one has 21');
    expect(ibanProblem('QQ89370400440532013000')?.problem).toBe('unknown-country');
    expect(ibanProblem('DE89_370400440532013000')?.problem).toBe('characters');
    expect(() => canonicalIban('NL99INGB9999999999')).toThrow('IBAN NL99INGB9999999999: bad check digits (ISO 13616 mod-97)');
  });

  it('makeIban gives valid IBANs; changing one digit breaks them', () => {
    fc.assert(
      fc.property(fc.constantFrom('DE', 'NL', 'AT', 'CH', 'GB', 'FR'), fc.nat(), (country, seed) => {
        const length = IBAN_LENGTHS[country]! - 4;
        const bban = String(seed).padStart(length, '7').slice(0, length);
        const iban = makeIban(country, bban);
        expect(isValidIban(iban)).toBe(true);
        const last = iban.at(-1)!;
        expect(isValidIban(iban.slice(0, -1) + ((Number(last) + 1) % 10))).toBe(false);
      }),
    );
  });
});

describe('bank account idents', () => {
  it('IBAN, bank-code:number, acct:number, name:, and what can match', () => {
    expect(bankAccountIdent("'DE89 3704 0044 0532 0130 00")).toBe('DE89370400440532013000');
    expect(bankAccountIdent('48201736', "'30-94-57")).toBe('309457:48201736');
    expect(bankAccountIdent('99999999')).toBe('acct:99999999');
    expect(() => bankAccountIdent('NL99INGB9999999999')).toThrow(/bad check digits/);
    expect(parseAccountOption('309457:48201736')).toBe('309457:48201736');
    expect(parseAccountOption('nl91 abna 0417 1643 00')).toBe('NL91ABNA0417164300');
    expect(() => parseAccountOption('48201736')).toThrow(/give an IBAN or BANKCODE:NUMBER/);
    expect(nameIdent('  Müller,  Hans-Peter ')).toBe('name:muller hans peter');
    expect([
      isAccountIdent('309457:48201736'),
      isAccountIdent('acct:1'),
      isAccountIdent('name:x'),
      isAccountIdent('unidentified:DE89370400440532013000'),
    ]).toEqual([true, false, false, false]);
  });

  it('holder names fold case, spacing, punctuation and diacritics', () => {
    expect(normaliseHolderName('PAULISSEN G.J.L.M.')).toBe(normaliseHolderName('Paulissen  g j l m'));
    expect(normaliseHolderName('Łukasz Żółć-Nowak')).toBe('lukasz zolc nowak');
    expect(normaliseHolderName('Straße & Søn AG')).toBe('strasse & son ag');
    expect(normaliseHolderName('María García')).toBe('maria garcia');
    expect(normaliseHolderName('用户b')).toBe('用户b');
  });
});

describe('amounts, dates and time zones', () => {
  it('ISO 4217 minor units', () => {
    expect([currencyDecimals('EUR'), currencyDecimals('JPY'), currencyDecimals('KWD'), currencyDecimals('BHD'), currencyDecimals('CLF')]).toEqual([
      2, 0, 3, 3, 4,
    ]);
  });

  it('statement amounts: decimal comma, thousands, signs, symbols, accounting forms', () => {
    const comma = { decimal: ',' as const, thousands: ['.'] };
    expect(parseStatementAmount('-1.001,00', 2, comma)).toBe(-100100n);
    expect(parseStatementAmount('+1,23', 2, comma)).toBe(123n);
    expect(parseStatementAmount('100,00-', 2, comma)).toBe(-10000n);
    expect(parseStatementAmount('$1,036.47', 2, { decimal: '.', thousands: [','] })).toBe(103647n);
    expect(parseStatementAmount("11'373.94", 2, { decimal: '.', thousands: ["'"] })).toBe(1137394n);
    expect(parseStatementAmount('(12.50)', 2, { decimal: '.', thousands: [] })).toBe(-1250n);
    expect(parseStatementAmount('¥20.00', 2, { decimal: '.', thousands: [] })).toBe(2000n);
    expect(parseStatementAmount('1500', 0, { decimal: '.', thousands: [] })).toBe(1500n);
    expect(() => parseStatementAmount('1.234,56', 2, { decimal: '.', thousands: [] })).toThrow(/not a number/);
    expect(() => parseStatementAmount('1,5', 2, { decimal: '.', thousands: [','] })).toThrow(/misplaced thousands separator/);
    expect(() => parseStatementAmount('0.125', 2, { decimal: '.', thousands: [] })).toThrow(/more than 2 decimal places/);
  });

  it('a figure signed twice is malformed, never its sign flipped back (a debit stored as a credit)', () => {
    const dot = { decimal: '.' as const, thousands: [','] };
    expect(() => parseStatementAmount('(-100.00)', 2, dot)).toThrow('amount "(-100.00)": two signs (parentheses and a leading -)');
    expect(() => parseStatementAmount('(+100.00)', 2, dot)).toThrow('amount "(+100.00)": two signs (parentheses and a leading +)');
    expect(() => parseStatementAmount('(100.00-)', 2, dot)).toThrow('amount "(100.00-)": two signs (parentheses and a trailing minus)');
    expect(() => parseStatementAmount('-100-', 2, dot)).toThrow();
    expect(parseStatementAmount('(1,000.00)', 2, dot)).toBe(-100000n);
    expect(parseStatementAmount('1,000.00-', 2, dot)).toBe(-100000n);
  });

  it('plain figures (minus, digits, decimal separator) read in one pass give the units the long way gives', () => {
    const dot = { decimal: '.' as const, thousands: [','] };
    const comma = { decimal: ',' as const, thousands: ['.', ' '] };
    expect(parseStatementAmount('-1234.5', 2, dot)).toBe(-123450n);
    expect(parseStatementAmount('1234,56', 2, comma)).toBe(123456n);
    expect(parseStatementAmount('-0.00', 2, dot)).toBe(0n);
    expect(parseStatementAmount('007', 3, dot)).toBe(7000n);
    expect(parseStatementAmount('.5', 2, dot)).toBe(50n);
    // 15 digits with the decimals fit a Number; more go the long way, exactly.
    expect(parseStatementAmount('9999999999999.99', 2, dot)).toBe(999999999999999n);
    expect(parseStatementAmount('123456789012345678.91', 2, dot)).toBe(12345678901234567891n);
    expect(parseStatementAmount('-99999999999999.99', 2, dot)).toBe(-9999999999999999n);
    // Not plain: the long way's answer, or its error.
    expect(parseStatementAmount('1.234', 2, comma)).toBe(123400n);
    expect(parseStatementAmount('1,234', 2, dot)).toBe(123400n);
    expect(() => parseStatementAmount('5.', 2, dot)).toThrow(/not a number/);
    expect(() => parseStatementAmount('12.5', 0, dot)).toThrow(/more than 0 decimal places/);
    expect(parseStatementAmount('12.50', 1, dot)).toBe(125n);
    expect(() => parseStatementAmount('1-2', 2, dot)).toThrow(/not a number/);
    expect(() => parseStatementAmount('--5', 2, dot)).toThrow(/not a number|negative/);
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('.' as const, ',' as const),
        (units, decimals, decimal) => {
          const magnitude = (units < 0n ? -units : units).toString().padStart(decimals + 1, '0');
          const text = (units < 0n ? '-' : '') + (decimals === 0 ? magnitude : magnitude.slice(0, -decimals) + decimal + magnitude.slice(-decimals));
          expect(parseStatementAmount(text, decimals, { decimal, thousands: [] })).toBe(units);
        },
      ),
    );
  });

  it('a day as text: the last one is remembered by its values, whichever object holds them', () => {
    const day = { year: 2024, month: 3, day: 1 };
    expect(formatLocalDate(day)).toBe('2024-03-01');
    expect(formatLocalDate({ year: 2024, month: 3, day: 2 })).toBe('2024-03-02');
    expect(formatLocalDate({ year: 2024, month: 3, day: 2 })).toBe('2024-03-02');
    expect(formatLocalDate(day)).toBe('2024-03-01');
    expect(formatLocalDate({ year: 987, month: 12, day: 31 })).toBe('0987-12-31');
    expect(formatLocalDate({ year: 0, month: 0, day: 0 })).toBe('0000-00-00');
  });

  it('date formats', () => {
    expect(compileDateFormat('DD.MM.YYYY')('31.12.2013')).toEqual({ year: 2013, month: 12, day: 31 });
    expect(compileDateFormat('M/D/YY')('2/8/15')).toEqual({ year: 2015, month: 2, day: 8 });
    expect(compileDateFormat('DD-Mon-YY')('23-Jan-15')).toEqual({ year: 2015, month: 1, day: 23 });
    expect(compileDateFormat('YYYYMMDD')('20200213')).toEqual({ year: 2020, month: 2, day: 13 });
    expect(compileDateFormat('YYYY-MM-DD HH:mm:ss')('2024-01-01 10:00:01')).toEqual({ year: 2024, month: 1, day: 1 });
    expect(compileDateFormat('DD.MM.YYYY')('30.02.2016')).toBeUndefined();
    expect(compileDateFormat('DD.MM.YYYY')('2016-02-03')).toBeUndefined();
    expect(compileDateFormat('YYYY-MM-DD HH:mm:ss')('2024-01-01 25:00:01')).toBeUndefined();
  });

  it("a booking date starts at local midnight of the bank's time zone", () => {
    expect(new Date(localMidnightUtc({ year: 2024, month: 3, day: 1 }, 'Europe/Berlin')).toISOString()).toBe('2024-02-29T23:00:00.000Z');
    expect(new Date(localMidnightUtc({ year: 2024, month: 7, day: 1 }, 'Europe/Berlin')).toISOString()).toBe('2024-06-30T22:00:00.000Z');
    // The day daylight saving time starts (at 02:00), and one in New York.
    expect(new Date(localMidnightUtc({ year: 2024, month: 3, day: 31 }, 'Europe/Berlin')).toISOString()).toBe('2024-03-30T23:00:00.000Z');
    expect(new Date(localMidnightUtc({ year: 2022, month: 8, day: 17 }, 'America/New_York')).toISOString()).toBe('2022-08-17T04:00:00.000Z');
    expect(new Date(localMidnightUtc({ year: 2020, month: 9, day: 6 }, 'Asia/Shanghai')).toISOString()).toBe('2020-09-05T16:00:00.000Z');
    expect(localMidnightUtc({ year: 2024, month: 3, day: 1 }, 'UTC')).toBe(Date.UTC(2024, 2, 1));
  });
});

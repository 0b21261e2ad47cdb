import { formatBusinessNumber, normalizeBusinessNumber } from './business-number';

describe('normalizeBusinessNumber (사업자등록번호 check digit)', () => {
  // Worked out for 124-81-00998: 1·1 + 2·3 + 4·7 + 8·1 + 1·3 + 0·7 + 0·1 + 9·3 + 9·5 = 118, plus
  // floor(9·5/10) = 4 → 122; (10 − 122 % 10) % 10 = 8, the last digit. The others were checked the same way.
  it.each([
    ['124-81-00998', '1248100998'],
    ['220-81-62517', '2208162517'],
    ['104-81-36565', '1048136565'],
    ['1234567891', '1234567891'],
    ['0000000000', '0000000000'],
    [' 101-01-01013 ', '1010101013'],
  ])('accepts %s', (input, digits) => {
    expect(normalizeBusinessNumber(input)).toBe(digits);
  });

  it.each([
    ['123-45-67890', 'wrong check digit'],
    ['124-81-00997', 'wrong check digit'],
    ['1234567890', 'wrong check digit'],
    ['211-87-00008', 'wrong check digit'],
    ['124-81-0099', 'nine digits'],
    ['124-81-009980', 'eleven digits'],
    ['124 81 00998', 'spaces as separators'],
    ['12-481-00998', 'dashes in the wrong places'],
    ['abc-de-fghij', 'not digits'],
    ['', 'empty'],
  ])('refuses %s (%s)', (input) => {
    expect(normalizeBusinessNumber(input)).toBeNull();
  });

  it('formats ten digits in the printed form', () => {
    expect(formatBusinessNumber('1248100998')).toBe('124-81-00998');
  });
});

import { displayCheckInCode, newCheckInCode, normalizeCheckInCode } from './check-in-code';
import { csvCell, csvLine } from './csv';

describe('check-in codes', () => {
  it('are 8 Crockford base32 characters and differ each time', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newCheckInCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
  });

  it('read back what people type or scanners send', () => {
    expect(displayCheckInCode('7KQM2XWD')).toBe('7KQM-2XWD');
    expect(normalizeCheckInCode('7KQM-2XWD')).toBe('7KQM2XWD');
    expect(normalizeCheckInCode(' 7kqm 2xwd ')).toBe('7KQM2XWD');
    expect(normalizeCheckInCode('O1IL-oil0')).toBe('01110110');
    expect(normalizeCheckInCode('7KQM2XW')).toBeNull();
    expect(normalizeCheckInCode('7KQM2XWU')).toBeNull();
    expect(normalizeCheckInCode('https://example.com/x')).toBeNull();
  });
});

describe('CSV cells', () => {
  it('quote only where needed and neutralise formulas', () => {
    expect(csvCell('김민지')).toBe('김민지');
    expect(csvCell(null)).toBe('');
    expect(csvCell('Pixel, Works')).toBe('"Pixel, Works"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+82 10')).toBe("'+82 10");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvLine(['a', 'b'])).toBe('a,b\r\n');
  });
});

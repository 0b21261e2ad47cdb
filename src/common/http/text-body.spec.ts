import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import * as iconv from 'iconv-lite';
import { charsetParameter, chooseTextEncoding, decodeTextChunks, TextEncoding } from './text-body';

describe('text bodies: UTF-8 or Korean Excel CP949', () => {
  // 똠, 햏 and 쀍 are CP949 extension (UHC) syllables: no plain EUC-KR decoder reads them.
  const text = 'email,name,company,cluster,locale\r\nminji@hanbit.example,김민지,한빛소프트,ICT,ko\r\nddom@hanbit.example,김똠 쀍,햏소프트 😀,DC,ko\r\n';
  const koreanText = text.replace(' 😀', ''); // CP949 has no emoji
  const cp949 = iconv.encode(koreanText, 'cp949');
  const utf8 = Buffer.from(text);
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);

  const decodeAll = (body: Buffer, encoding: TextEncoding, chunkBytes?: number) => [...decodeTextChunks(body, encoding, chunkBytes)].join('');
  const failure = (run: () => unknown): { status: number; message: string[] } => {
    try {
      run();
    } catch (error) {
      if (error instanceof BadRequestException || error instanceof UnsupportedMediaTypeException) {
        return { status: error.getStatus(), message: (error.getResponse() as { message: string[] }).message };
      }
      throw error;
    }
    throw new Error('expected a 4xx');
  };

  it('reads the charset parameter of a Content-Type, quoted or not, in any case', () => {
    expect(charsetParameter('text/csv; charset=CP949')).toBe('cp949');
    expect(charsetParameter('text/csv;charset="ks_c_5601-1987"')).toBe('ks_c_5601-1987');
    expect(charsetParameter('text/csv; header=present; Charset = utf-8')).toBe('utf-8');
    expect(charsetParameter('text/csv')).toBeUndefined();
    expect(charsetParameter('text/csv; charset=')).toBeUndefined();
    expect(charsetParameter(undefined)).toBeUndefined();
  });

  it('follows the charset: the CP949 labels Windows and browsers use, and UTF-8', () => {
    for (const label of ['cp949', 'euc-kr', 'EUC-KR', 'ks_c_5601-1987', 'windows-949', 'x-windows-949', 'ms949', 'korean']) {
      expect(chooseTextEncoding(cp949, `text/csv; charset=${label}`)).toEqual({ charset: 'cp949', declared: true });
    }
    expect(chooseTextEncoding(utf8, 'text/csv; charset=utf-8')).toEqual({ charset: 'utf-8', declared: true });
    expect(chooseTextEncoding(utf8, 'text/csv; charset=UTF8')).toEqual({ charset: 'utf-8', declared: true });
  });

  it('detects without a charset: valid UTF-8 is UTF-8, anything else is taken for CP949', () => {
    expect(chooseTextEncoding(utf8, 'text/csv')).toEqual({ charset: 'utf-8', declared: false });
    expect(chooseTextEncoding(Buffer.from('email,name\n'), undefined)).toEqual({ charset: 'utf-8', declared: false });
    expect(chooseTextEncoding(cp949, 'text/csv')).toEqual({ charset: 'cp949', declared: false });
    expect(chooseTextEncoding(Buffer.from([0xff, 0xfe]), 'text/csv')).toEqual({ charset: 'cp949', declared: false });
  });

  it('takes a UTF-8 byte order mark over the label, as WHATWG decode does', () => {
    expect(chooseTextEncoding(Buffer.concat([bom, utf8]), 'text/csv; charset=euc-kr')).toEqual({ charset: 'utf-8', declared: true });
  });

  it('answers a charset it does not read with a 415 naming it', () => {
    expect(failure(() => chooseTextEncoding(utf8, 'text/csv; charset=Shift_JIS'))).toEqual({
      status: 415,
      message: ['body charset shift_jis is not supported: send UTF-8 or CP949 (EUC-KR)'],
    });
    expect(failure(() => chooseTextEncoding(utf8, 'text/csv; charset=utf-16le')).status).toBe(415);
  });

  it('answers a body that is not the UTF-8 its charset or BOM says with a 400', () => {
    expect(failure(() => chooseTextEncoding(cp949, 'text/csv; charset=utf-8'))).toEqual({
      status: 400,
      message: ['body is not UTF-8 text, as its charset says'],
    });
    expect(failure(() => chooseTextEncoding(Buffer.concat([bom, cp949]), 'text/csv'))).toEqual({
      status: 400,
      message: ['body is not UTF-8 text, as its byte order mark says'],
    });
  });

  it('decodes UTF-8 and CP949 alike, however the chunks cut the characters, and drops the BOM', () => {
    for (const chunkBytes of [1, 2, 3, 7, 64 * 1024]) {
      expect(decodeAll(utf8, { charset: 'utf-8', declared: false }, chunkBytes)).toBe(text);
      expect(decodeAll(Buffer.concat([bom, utf8]), { charset: 'utf-8', declared: true }, chunkBytes)).toBe(text);
      expect(decodeAll(cp949, { charset: 'cp949', declared: false }, chunkBytes)).toBe(koreanText);
    }
    expect(decodeAll(iconv.encode('똠햏쀍뷁', 'cp949'), { charset: 'cp949', declared: true })).toBe('똠햏쀍뷁');
  });

  it('hands the text on in pieces, never the whole body at once', () => {
    const big = Buffer.from('가나다라,'.repeat(100_000));
    const pieces = [...decodeTextChunks(big, { charset: 'utf-8', declared: false }, 64 * 1024)];
    expect(pieces.length).toBeGreaterThanOrEqual(Math.floor(big.length / (64 * 1024)));
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(64 * 1024);
    expect(pieces.join('')).toBe('가나다라,'.repeat(100_000));
  });

  it('answers bytes that are no CP949 character with a 400 naming the line, never a U+FFFD', () => {
    const withBad = (bad: number[]) => Buffer.concat([cp949, iconv.encode('x@y.example,김', 'cp949'), Buffer.from(bad), Buffer.from(',a,ICT,ko\r\n')]);
    // 0xFF and 0x80 are no lead byte; 0xC9 0xA1 is the user-defined area; 0xB1 0x2C a lead byte with no trail byte.
    for (const bad of [[0xff], [0x80], [0xc9, 0xa1], [0xb1]]) {
      expect(failure(() => decodeAll(withBad(bad), { charset: 'cp949', declared: false }))).toEqual({
        status: 400,
        message: ['body is neither UTF-8 nor CP949 (EUC-KR) text: line 4 has bytes that are no character in either'],
      });
      expect(failure(() => decodeAll(withBad(bad), { charset: 'cp949', declared: true }, 5))).toEqual({
        status: 400,
        message: ['body is not CP949 (EUC-KR) text, as its charset says: line 4 has bytes that are no character in it'],
      });
    }
    // A lead byte that the body ends on.
    expect(failure(() => decodeAll(Buffer.concat([cp949, Buffer.from([0xb1])]), { charset: 'cp949', declared: true })).message).toEqual([
      expect.stringContaining('line 4'),
    ]);
  });
});

import { BadRequestException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { bodyProblem, checkParsedBody, INVALID_UTF8_BODY, rejectInvalidUtf8 } from './parsed-body';

describe('checkParsedBody', () => {
  const nested = (levels: number) => JSON.parse(`${'{"a":'.repeat(levels - 1)}[]${'}'.repeat(levels - 1)}`);

  it('passes ordinary bodies, Korean and emoji included', () => {
    for (const body of [undefined, '', 'email,name\n', {}, { clusters: ['ICT'] }, { name: '김민지 😀', company: null }, [1, [2, [3]]], nested(32)]) {
      expect(bodyProblem(body)).toBeUndefined();
    }
  });

  it('refuses nesting past the limit without recursing, however deep', () => {
    expect(bodyProblem(nested(33))).toBe('body must not be nested deeper than 32 levels');
    expect(bodyProblem(JSON.parse(`${'['.repeat(200_000)}1${']'.repeat(200_000)}`))).toBe('body must not be nested deeper than 32 levels');
    expect(bodyProblem(nested(4), 3)).toBe('body must not be nested deeper than 3 levels');
  });

  it('refuses unpaired surrogates in values and keys, naming where', () => {
    expect(bodyProblem(JSON.parse('{"email":"\\udfff"}'))).toBe('email must be valid Unicode text (it has an unpaired surrogate)');
    expect(bodyProblem(JSON.parse('{"clusters":["ICT","a\\ud800"]}'))).toBe('clusters.1 must be valid Unicode text (it has an unpaired surrogate)');
    expect(bodyProblem(JSON.parse('"\\ud800x"'))).toBe('body must be valid Unicode text (it has an unpaired surrogate)');
    expect(bodyProblem(JSON.parse('{"\\udc00":1}'))).toBe('body has a property name that is not valid Unicode text (an unpaired surrogate)');
    expect(bodyProblem({ name: '\ud83d\ude00' })).toBeUndefined(); // a proper pair: 😀
  });

  it('leaves a raw body (bytes, not yet text) to its reader, without walking its bytes', () => {
    const started = performance.now();
    expect(bodyProblem(Buffer.alloc(10 * 1024 * 1024, 0xff))).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('hands the problem on as a 400 in the contract shape', () => {
    const next = jest.fn();
    checkParsedBody()({ body: { name: 'ok' } } as Request, {} as Response, next);
    expect(next).toHaveBeenLastCalledWith(undefined);
    checkParsedBody()({ body: { name: '\ud800' } } as Request, {} as Response, next);
    const error = next.mock.lastCall[0];
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.getResponse()).toMatchObject({ message: ['name must be valid Unicode text (it has an unpaired surrogate)'] });
  });

  it('refuses JSON and form bytes that are not UTF-8 before they are decoded, as a 400 of the body', () => {
    const verify = (bytes: number[] | string, encoding: string | null = 'utf-8') =>
      rejectInvalidUtf8({} as never, {} as never, typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes), encoding);
    expect(() => verify('{"name":"김민지 😀"}')).not.toThrow();
    expect(() => verify('')).not.toThrow();
    // 0xFF; 김민지 in CP949; 김 (EA B9 80) cut short; an encoded surrogate (ED A0 80), which UTF-8 forbids.
    for (const bytes of [
      [0x22, 0xff, 0x22],
      [0xb1, 0xe8, 0xb9, 0xce, 0xc1, 0xf6],
      [0xea, 0xb9],
      [0xed, 0xa0, 0x80],
    ]) {
      let error: any;
      try {
        verify(bytes);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toMatchObject({ status: 400, type: INVALID_UTF8_BODY, message: 'body is not valid UTF-8' });
      expect(() => verify(bytes, 'UTF-8')).toThrow('body is not valid UTF-8');
    }
    // JSON may come as UTF-16 (body-parser decodes it); that is not UTF-8's to judge.
    expect(() => verify([0xff, 0xfe, 0x7b, 0x00], 'utf-16le')).not.toThrow();
  });
});

import { BadRequestException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { bodyProblem, checkParsedBody } from './parsed-body';

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

  it('hands the problem on as a 400 in the contract shape', () => {
    const next = jest.fn();
    checkParsedBody()({ body: { name: 'ok' } } as Request, {} as Response, next);
    expect(next).toHaveBeenLastCalledWith(undefined);
    checkParsedBody()({ body: { name: '\ud800' } } as Request, {} as Response, next);
    const error = next.mock.lastCall[0];
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.getResponse()).toMatchObject({ message: ['name must be valid Unicode text (it has an unpaired surrogate)'] });
  });
});

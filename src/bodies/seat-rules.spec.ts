import { InvalidInputError } from '../common/errors/domain-errors';
import { checkSeatHolders, checkSeatShape } from './seat-rules';

describe('seat rules', () => {
  const field = (work: () => void): string | undefined => {
    try {
      work();
      return undefined;
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      return (error as InvalidInputError).field;
    }
  };
  const holders = new Map([
    ['ict-a', { clusterCode: 'ICT', companyId: 'hanbit' }],
    ['ict-b', { clusterCode: 'ICT', companyId: 'other' }],
    ['dc-a', { clusterCode: 'DC', companyId: 'pixel' }],
  ]);

  it('wants a cluster or a company, not both, and a substitute who is not the delegate', () => {
    expect(field(() => checkSeatShape({ label: 'x', delegateId: 'ict-a' }))).toBe('cluster');
    expect(field(() => checkSeatShape({ label: 'x', cluster: 'ICT', companyId: 'hanbit', delegateId: 'ict-a' }))).toBe('companyId');
    expect(field(() => checkSeatShape({ label: 'x', cluster: 'ICT', delegateId: 'ict-a', substituteId: 'ict-a' }))).toBe('substituteId');
    expect(field(() => checkSeatShape({ label: 'x', cluster: 'ICT', delegateId: 'ict-a', substituteId: 'ict-b' }))).toBeUndefined();
  });

  it("keeps a cluster's seat to its cluster's members and a company's seat to its company's", () => {
    expect(field(() => checkSeatHolders({ label: 'x', cluster: 'ICT', delegateId: 'ict-a', substituteId: 'ict-b' }, holders))).toBeUndefined();
    expect(field(() => checkSeatHolders({ label: 'x', cluster: 'ICT', delegateId: 'ict-a', substituteId: 'dc-a' }, holders))).toBe('substituteId');
    expect(field(() => checkSeatHolders({ label: 'x', companyId: 'hanbit', delegateId: 'ict-b' }, holders))).toBe('delegateId');
    expect(field(() => checkSeatHolders({ label: 'x', companyId: 'hanbit', delegateId: 'nobody' }, holders))).toBe('delegateId');
  });
});

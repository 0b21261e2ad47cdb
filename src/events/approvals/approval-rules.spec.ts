import type { Principal } from '../../auth/principal';
import { approvalsNeeded, missingApprovals } from './approval-rules';

const organizer = (role: Principal['role'], clusters: Principal['clusters']): Principal => ({
  organizerId: 'o',
  actor: 'o@park.example',
  role,
  clusters,
  via: 'session',
  credentialId: 's',
});

describe('co-host approvals', () => {
  it.each([
    ['a DC organizer proposing DC with ICT', organizer('cluster_organizer', ['DC']), ['DC', 'ICT'], ['ICT']],
    ['an organizer of both hosts', organizer('cluster_organizer', ['DC', 'ICT']), ['DC', 'ICT'], []],
    ['a single-host event of their own', organizer('cluster_organizer', ['IMT']), ['IMT'], []],
    ['three hosts', organizer('cluster_organizer', ['GREEN_IT']), ['ICT', 'GREEN_IT', 'DC'], ['ICT', 'DC']],
    ['a federation admin', organizer('admin', []), ['DC', 'ICT', 'IMT'], []],
    ['the admin token (no proposer account)', null, ['DC', 'ICT'], []],
  ])('%s needs approval from %j', (_what, proposer, hosts, needed) => {
    expect(approvalsNeeded(proposer, hosts)).toEqual(needed);
  });

  it('counts pending and declined co-hosts as missing, approved ones not', () => {
    const approvals = [
      { cluster: 'ICT', status: 'approved' as const, reason: null },
      { cluster: 'IMT', status: 'pending' as const, reason: null },
      { cluster: 'DC', status: 'declined' as const, reason: '예산 부족' },
    ];
    expect(missingApprovals(approvals).map((a) => a.cluster)).toEqual(['IMT', 'DC']);
    expect(missingApprovals([])).toEqual([]);
  });
});

import type { SeminarEvent } from '../../events/entities/event.entity';
import type { Principal } from '../../auth/principal';
import type { ClusterCode } from '../../config/cluster-codes';
import { leadHostOf } from '../../events/use-cases/create-event';
import { consentRows, consentScope, consentsFromForm, operatorOf, parseConsents, thirdPartyRecipients } from './consent-notice';

describe('consent notices (PIPA)', () => {
  const event = (...hosts: string[]) => ({ clusters: hosts.map((clusterCode) => ({ role: 'host', clusterCode })) }) as unknown as SeminarEvent;

  it('makes every co-host other than the first host (in the fixed cluster order) a third-party recipient', () => {
    expect(thirdPartyRecipients(event('DC', 'ICT'))).toEqual(['DC']);
    expect(thirdPartyRecipients(event('GREEN_IT', 'IMT', 'ICT'))).toEqual(['IMT', 'GREEN_IT']);
    expect(thirdPartyRecipients(event('ICT'))).toEqual([]);
  });

  it('makes the lead host (주최) the operator and every other host a recipient; a lead host taken off the hosts gives way to the first', () => {
    const led = (leadHost: string, ...hosts: string[]) => ({ ...event(...hosts), leadHost }) as unknown as SeminarEvent;
    expect(operatorOf(led('DC', 'ICT', 'DC'))).toBe('DC');
    expect(thirdPartyRecipients(led('DC', 'ICT', 'DC'))).toEqual(['ICT']);
    expect(operatorOf(led('GREEN_IT', 'ICT', 'DC'))).toBe('ICT');
  });

  it('takes the lead host from the proposing cluster organizer, none from an admin', () => {
    const organizer = (clusters: ClusterCode[]): Principal => ({
      organizerId: 'o',
      actor: 'x@park.example',
      role: 'cluster_organizer',
      clusters,
      via: 'session',
      credentialId: 'c',
    });
    expect(leadHostOf(organizer(['DC']), ['ICT', 'DC'])).toBe('DC');
    expect(leadHostOf(organizer(['GREEN_IT', 'IMT']), ['GREEN_IT', 'IMT', 'ICT'])).toBe('IMT');
    expect(leadHostOf({ ...organizer([]), role: 'admin' }, ['ICT', 'DC'])).toBeNull();
    expect(leadHostOf(null, ['ICT'])).toBeNull();
  });

  it('accepts collection: true with optional booleans and refuses everything else with the field named', () => {
    expect(parseConsents({ collection: true, thirdParty: { DC: false }, marketing: true }, ['DC']).value).toEqual({
      collection: true,
      thirdParty: { DC: false },
      marketing: true,
    });
    expect(parseConsents({}, ['DC']).errors[0]).toMatch(/^consents.collection must be true: /);
    expect(parseConsents({ collection: 'yes' }, []).errors[0]).toMatch(/^consents.collection must be true/);
    expect(parseConsents({ collection: true, marketing: 'no' }, []).errors).toEqual(['consents.marketing must be a boolean']);
    expect(parseConsents({ collection: true, thirdParty: { DC: 1 } }, ['DC']).errors).toEqual(['consents.thirdParty.DC must be a boolean']);
    expect(parseConsents({ collection: true, thirdParty: [] }, ['DC']).errors).toEqual(['consents.thirdParty must be an object']);
    expect(parseConsents({ collection: true, other: true }, []).errors).toEqual(['consents.other is not a consent']);
  });

  it('reads ticked form boxes and writes a row per notice, a recipient not ticked as refused', () => {
    const choices = consentsFromForm({ consent_collection: 'yes', consent_third_party_IMT: 'yes' }, ['IMT', 'DC']);
    expect(choices).toEqual({ collection: true, thirdParty: { IMT: true, DC: false }, marketing: false });
    expect(consentRows(choices, ['IMT', 'DC'])).toEqual([
      { kind: 'collection', granted: true },
      { kind: 'third_party:IMT', granted: true },
      { kind: 'third_party:DC', granted: false },
      { kind: 'marketing', granted: false },
    ]);
  });

  it('limits a co-host organizer to the consent given to their office; admins and the first host see everyone', () => {
    const cohosted = event('ICT', 'DC');
    expect(consentScope({ role: 'admin', clusters: [] }, cohosted)).toBeNull();
    expect(consentScope({ role: 'cluster_organizer', clusters: ['ICT'] }, cohosted)).toBeNull();
    expect(consentScope({ role: 'cluster_organizer', clusters: ['DC'] }, cohosted)).toEqual(['DC']);
    expect(consentScope({ role: 'cluster_organizer', clusters: ['IMT'] }, cohosted)).toEqual([]);
  });
});

import type { RegistrationWindow } from '../../events/event-rules';
import type { LinkTokenPurpose } from '../../link-tokens/link-token.entity';
import type { RegistrationStatus } from '../entities/registration.entity';
import { LinkStep, linkStep } from './link-steps';

const open: RegistrationWindow = { open: true };
const at = new Date('2027-03-01T00:00:00Z');

describe('the emailed-link state machine', () => {
  const cases: [LinkTokenPurpose, RegistrationStatus | null, RegistrationWindow, LinkStep][] = [
    ['manage_registration', 'confirmed', open, { step: 'manage', active: true }],
    ['manage_registration', 'waitlisted', open, { step: 'manage', active: true }],
    ['manage_registration', 'pending_confirmation', open, { step: 'manage', active: true }],
    ['manage_registration', 'cancelled', open, { step: 'manage', active: false }],
    ['manage_registration', null, open, { step: 'manage', active: false }],
    // Cancelling stays possible when registration has closed or the event was cancelled.
    ['manage_registration', 'confirmed', { open: false, reason: 'closed', at }, { step: 'manage', active: true }],
    ['accept_invitation', null, open, { step: 'register', action: 'accept_invitation' }],
    ['accept_invitation', 'cancelled', open, { step: 'register', action: 'accept_invitation' }],
    ['accept_invitation', 'confirmed', open, { step: 'already', outcome: 'already_confirmed' }],
    ['confirm_registration', 'pending_confirmation', open, { step: 'register', action: 'confirm_registration' }],
    ['confirm_registration', 'waitlisted', open, { step: 'already', outcome: 'already_waitlisted' }],
    // Someone already in says so even after the window closed.
    ['confirm_registration', 'confirmed', { open: false, reason: 'closed', at }, { step: 'already', outcome: 'already_confirmed' }],
    [
      'confirm_registration',
      'pending_confirmation',
      { open: false, reason: 'closed', at },
      { step: 'closed', preview: { state: 'invalid', reason: 'event_closed', at } },
    ],
    ['accept_invitation', null, { open: false, reason: 'not_yet_open', at }, { step: 'closed', preview: { state: 'invalid', reason: 'not_yet_open', at } }],
    ['accept_invitation', null, { open: false, reason: 'cancelled' }, { step: 'closed', preview: { state: 'invalid', reason: 'event_cancelled' } }],
    [
      'accept_invitation',
      null,
      { open: false, reason: 'not_published' },
      { step: 'closed', preview: { state: 'invalid', reason: 'event_closed', at: undefined } },
    ],
  ];

  it.each(cases)('%s link, registration %s, window %j → %j', (purpose, status, window, expected) => {
    expect(linkStep(purpose, status === null ? null : { status }, window)).toEqual(expected);
  });
});

import { mailJobId } from '../../queue/queue.constants';
import { isRecipientBounce } from '../mail/mailer.service';
import { isNonEssential, mayLift } from './suppressions.service';

describe('suppression rules', () => {
  it("leaves lifting a person's own unsubscribe to admins; bounces and hand-added entries any organizer may lift", () => {
    expect([mayLift({ role: 'admin' }, 'unsubscribe'), mayLift({ role: 'admin' }, 'bounce'), mayLift({ role: 'admin' }, 'manual')]).toEqual([true, true, true]);
    expect([
      mayLift({ role: 'cluster_organizer' }, 'unsubscribe'),
      mayLift({ role: 'cluster_organizer' }, 'bounce'),
      mayLift({ role: 'cluster_organizer' }, 'manual'),
    ]).toEqual([false, true, true]);
  });

  it('lets people opt out of invitations and reminders only', () => {
    expect(['invitation', 'reminder'].every((kind) => isNonEssential(kind as never))).toBe(true);
    for (const kind of [
      'registration_opt_in',
      'registration_confirmed',
      'registration_waitlisted',
      'waitlist_promoted',
      'registration_cancelled',
      'event_updated',
      'event_cancelled',
    ]) {
      expect(isNonEssential(kind as never)).toBe(false);
    }
  });

  it('suppresses an address only for a permanent refusal of the recipient or the message (RFC 5321 §4.2.1)', () => {
    expect(isRecipientBounce({ responseCode: 550, command: 'RCPT TO' })).toBe(true);
    expect(isRecipientBounce({ responseCode: 554, command: 'DATA' })).toBe(true);
    expect(isRecipientBounce({ responseCode: 452, command: 'RCPT TO' })).toBe(false); // temporary
    expect(isRecipientBounce({ responseCode: 535, command: 'AUTH PLAIN' })).toBe(false); // our credentials
    expect(isRecipientBounce({ responseCode: 553, command: 'MAIL FROM' })).toBe(false); // our sender
    expect(isRecipientBounce(new Error('connect ECONNREFUSED'))).toBe(false);
  });

  it('names a job by the random message key of its row, a requeued row with a new id (BullMQ keeps the old one), never with ":"', () => {
    const key = '3f1c2a4e-8b7d-4c2e-9a1b-5d6e7f8a9b0c';
    expect(mailJobId(key)).toBe(`mail-${key}`);
    expect(mailJobId(key, 2)).toBe(`mail-${key}-r2`);
    expect(mailJobId(key, 2)).not.toContain(':');
  });
});

import { mailJobId } from '../../queue/queue.constants';
import { isRecipientBounce } from '../mail/mailer.service';
import { isNonEssential } from './suppressions.service';

describe('suppression rules', () => {
  it('lets people opt out of invitations and reminders only', () => {
    expect(['invitation', 'reminder'].every((kind) => isNonEssential(kind as never))).toBe(true);
    for (const kind of ['registration_opt_in', 'registration_confirmed', 'registration_waitlisted', 'waitlist_promoted', 'registration_cancelled', 'event_updated', 'event_cancelled']) {
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

  it('gives a requeued row a new job id (BullMQ keeps the failed one), never with ":"', () => {
    expect(mailJobId('42')).toBe('outbox-42');
    expect(mailJobId('42', 2)).toBe('outbox-42-r2');
    expect(mailJobId('42', 2)).not.toContain(':');
  });
});

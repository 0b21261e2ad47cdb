import { formatEventTime } from '../../common/templates/date-format';
import type { StringTable } from '../../common/templates/string-table';
import type { SeminarEvent } from '../../events/entities/event.entity';
import type { OutboxMessage } from '../outbox/outbox-message.entity';

/** What one kind of mail says beyond the event itself, from the row's payload. */
export function kindContext(
  row: OutboxMessage,
  event: SeminarEvent,
  strings: StringTable,
  names: Map<string, string>,
  publicUrl: string,
): Record<string, unknown> {
  const payload = row.payload ?? {};
  const clusterName = typeof payload.cluster === 'string' ? (names.get(payload.cluster) ?? payload.cluster) : null;
  switch (row.kind) {
    case 'registration_waitlisted':
      return { position: typeof payload.position === 'number' && payload.position > 0 ? payload.position : null };
    case 'registration_cancelled':
      return { byOrganizer: payload.cancelledBy === 'organizer' };
    case 'event_updated':
      return { changes: describeChanges(payload, strings), waitlisted: payload.registrationStatus === 'waitlisted' };
    case 'event_cancelled': {
      const reason = event.cancelReason ?? (typeof payload.reason === 'string' ? payload.reason : null);
      return { reason: reason && reason.trim() !== '' ? reason : null };
    }
    case 'reminder':
      return { startsIn: startsIn(typeof payload.offsetMinutes === 'number' ? payload.offsetMinutes : null, strings) };
    case 'approval_requested':
      return { proposer: payload.proposer, clusterName, approvalsUrl: `${publicUrl}/console/approvals` };
    case 'approval_answered':
      return {
        approved: payload.status === 'approved',
        clusterName,
        reason: typeof payload.reason === 'string' && payload.reason !== '' ? payload.reason : null,
        decidedBy: payload.decidedBy,
        consoleEventUrl: `${publicUrl}/console/events/${event.id}`,
      };
    default:
      return {};
  }
}

interface Snapshot {
  title?: string;
  description?: string | null;
  startsAt?: string;
  endsAt?: string;
  timezone?: string;
  venue?: string | null;
  onlineUrl?: string | null;
}

/**
 * The changes one update made, old → new, as the registrant reads them: times in the event's
 * zone (before and after the change) in the recipient's language. The payload holds the raw
 * values (ISO instants, zone names), written by EventChangeNoticesService.
 */
export function describeChanges(payload: Record<string, unknown>, strings: StringTable): { label: string; from: string | null; to: string | null }[] {
  const before = (payload.previous ?? {}) as Snapshot;
  const after = (payload.current ?? {}) as Snapshot;
  const label = (field: 'when' | 'title' | 'venue' | 'onlineUrl' | 'description' | 'agenda') => strings.text(`mail.changes.fields.${field}`);
  const none = strings.text('mail.changes.none');
  const changes: { label: string; from: string | null; to: string | null }[] = [];
  const when = (s: Snapshot) => (s.startsAt && s.endsAt && s.timezone ? formatEventTime(new Date(s.startsAt), new Date(s.endsAt), s.timezone, strings) : none);
  if (before.startsAt !== after.startsAt || before.endsAt !== after.endsAt || before.timezone !== after.timezone) {
    changes.push({ label: label('when'), from: when(before), to: when(after) });
  }
  for (const field of ['title', 'venue', 'onlineUrl'] as const) {
    if ((before[field] ?? null) !== (after[field] ?? null)) {
      changes.push({ label: label(field), from: before[field] || none, to: after[field] || none });
    }
  }
  // The description may be long: the mail says it changed and shows the new one with the event.
  if ((before.description ?? null) !== (after.description ?? null)) changes.push({ label: label('description'), from: null, to: null });
  // So is the programme: named as changed; the new one is in the attached calendar entry and on the event's page.
  if (Array.isArray(payload.changed) && payload.changed.includes('agenda')) changes.push({ label: label('agenda'), from: null, to: null });
  return changes;
}

/** "24시간 후" / "in 24 hours": how far ahead the event is, for a reminder. */
export function startsIn(offsetMinutes: number | null, strings: StringTable): string | null {
  if (offsetMinutes === null || offsetMinutes <= 0) return null;
  const [amount, unit] =
    offsetMinutes % 1440 === 0 && offsetMinutes >= 2880
      ? [offsetMinutes / 1440, 'day']
      : offsetMinutes % 60 === 0
        ? [offsetMinutes / 60, 'hour']
        : [offsetMinutes, 'minute'];
  return strings.count(`mail.startsIn.${unit}`, amount);
}

import { formatDateTime, formatTime, wallClock } from '../../common/templates/date-format';
import type { StringTable } from '../../common/templates/string-table';
import type { AgendaItem } from './agenda';

export interface AgendaRow {
  time: string;
  title: string;
  speaker: string | null;
  affiliation: string | null;
}

/**
 * The programme as the event page shows it: each session's time in the event's zone, the time of
 * day alone while the event stays on its first day, the date too on a multi-day event's later days.
 */
export function agendaRows(agenda: readonly AgendaItem[], event: { startsAt: Date; timezone: string }, strings: StringTable): AgendaRow[] {
  const first = wallClock(event.startsAt, event.timezone);
  const sameDay = (instant: Date) => {
    const p = wallClock(instant, event.timezone);
    return p.year === first.year && p.month === first.month && p.day === first.day;
  };
  const at = (instant: Date) => (sameDay(instant) ? formatTime(instant, event.timezone, strings) : formatDateTime(instant, event.timezone, strings));
  return agenda.map((item) => {
    const start = at(new Date(item.startsAt));
    return {
      time: item.endsAt ? `${start} – ${formatTime(new Date(item.endsAt), event.timezone, strings)}` : start,
      title: item.title,
      speaker: item.speaker,
      affiliation: item.affiliation,
    };
  });
}

/**
 * The programme as plain text for the .ics DESCRIPTION, after the event's own description: one line
 * per session, 24-hour wall-clock times in the event's zone, so every calendar shows what the page shows.
 */
export function agendaText(agenda: readonly AgendaItem[], timezone: string): string {
  const hhmm = (iso: string) => {
    const p = wallClock(new Date(iso), timezone);
    return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
  };
  return agenda
    .map((item) => {
      const who = [item.speaker, item.affiliation ? `(${item.affiliation})` : null].filter(Boolean).join(' ');
      return `${hhmm(item.startsAt)}${item.endsAt ? `–${hhmm(item.endsAt)}` : ''} ${item.title}${who ? ` — ${who}` : ''}`;
    })
    .join('\n');
}

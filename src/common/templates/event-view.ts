import type { TemplateLocale } from './template-renderer.service';
import { formatEventTime } from './date-format';

const TYPE_LABELS: Record<TemplateLocale, Record<string, string>> = {
  ko: { seminar: '세미나', tech_exchange: '기술교류회', committee: '운영위원회', sig_meeting: 'SIG 모임' },
  en: { seminar: 'Seminar', tech_exchange: 'Tech exchange', committee: 'Committee meeting', sig_meeting: 'SIG meeting' },
};

export interface EventLike {
  id: string;
  title: string;
  description: string | null;
  type: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  venue: string | null;
  onlineUrl: string | null;
  status: string;
  capacity: number | null;
  seatsTaken: number;
}

/** The `event` object every mail and page template receives: texts already localised and formatted. */
export function eventView(event: EventLike, hostNames: string[], locale: TemplateLocale) {
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    typeLabel: TYPE_LABELS[locale][event.type] ?? event.type,
    when: formatEventTime(event.startsAt, event.endsAt, event.timezone, locale),
    timezone: event.timezone,
    venue: event.venue,
    onlineUrl: event.onlineUrl,
    hostNames: hostNames.join(' · '),
    status: event.status,
    seatsLeft: event.capacity === null ? null : Math.max(0, event.capacity - event.seatsTaken),
  };
}

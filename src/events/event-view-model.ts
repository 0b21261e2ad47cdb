import { formatEventTime } from '../common/templates/date-format';
import type { TemplateLocale } from '../common/templates/template-renderer.service';
import { clusterCodes } from './dto/event.view';
import { SeminarEvent } from './entities/event.entity';

const TYPE_LABELS: Record<TemplateLocale, Record<string, string>> = {
  ko: { seminar: '세미나', tech_exchange: '기술교류회', committee: '운영위원회', sig_meeting: 'SIG 모임' },
  en: { seminar: 'Seminar', tech_exchange: 'Tech exchange', committee: 'Committee meeting', sig_meeting: 'SIG meeting' },
};

/**
 * The `event` object every mail and page template receives: texts already localised and
 * formatted, hosts by name (`clusterNames` from DirectoryService.clusterNames(locale)).
 */
export function eventViewModel(event: SeminarEvent, clusterNames: Map<string, string>, locale: TemplateLocale) {
  const hostNames = clusterCodes(event, 'host').map((code) => clusterNames.get(code) ?? code);
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

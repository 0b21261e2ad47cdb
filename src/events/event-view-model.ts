import { formatEventTime } from '../common/templates/date-format';
import type { StringTable } from '../common/templates/string-table';
import { clusterCodes } from './dto/event.view';
import { SeminarEvent } from './entities/event.entity';
import { agendaRows } from './agenda/agenda-view';

/**
 * The `event` object every mail and page template receives: texts already localised and
 * formatted (`strings` from TemplateRenderer.strings(locale): the type's name, the time in the
 * event's zone), hosts by name (`clusterNames` from DirectoryService.clusterNames(locale)).
 */
export function eventViewModel(event: SeminarEvent, clusterNames: Map<string, string>, strings: StringTable) {
  const hostNames = clusterCodes(event, 'host').map((code) => clusterNames.get(code) ?? code);
  const typeKey = `eventTypes.${event.type}`;
  return {
    id: event.id,
    title: event.title,
    description: event.description,
    typeLabel: strings.has(typeKey) ? strings.text(typeKey) : event.type,
    when: formatEventTime(event.startsAt, event.endsAt, event.timezone, strings),
    timezone: event.timezone,
    venue: event.venue,
    onlineUrl: event.onlineUrl,
    hostNames: hostNames.join(' · '),
    status: event.status,
    agenda: agendaRows(event.agenda ?? [], event, strings),
    seatsLeft: event.capacity === null ? null : Math.max(0, event.capacity - event.seatsTaken),
  };
}

import { Injectable } from '@nestjs/common';
import { EventsService } from '../events/events.service';
import { SuggestionView } from './report.dto';
import { KeywordMatch, SuggestionsReader } from './suggestions.reader';

const DEFAULT_LIMIT = 100;

/** Suggested invitees of an event, each with the reasons for its rank in words an organizer reads. */
@Injectable()
export class SuggestionsService {
  constructor(
    private readonly reader: SuggestionsReader,
    private readonly events: EventsService,
  ) {}

  async suggest(eventId: string, limit = DEFAULT_LIMIT): Promise<SuggestionView[]> {
    // 404 for an unknown event rather than an empty list that looks like "nobody matches".
    await this.events.get(eventId, { organizer: true });
    const rows = await this.reader.suggest(eventId, limit);
    return rows.map((row) => ({ ...row, reasons: row.matches.map(reasonOf) }));
  }
}

/** One match as a sentence; Korean, as the console that offers the suggestions is Korean first. The data is in `matches`. */
export function reasonOf(match: KeywordMatch): string {
  const similarity = Number(match.similarity).toFixed(2);
  const source = match.source === 'company' ? `기업 키워드 '${match.keyword}'` : `SIG '${match.sig}' 키워드 '${match.keyword}'`;
  return `${source} ≈ 행사 키워드 '${match.eventKeyword}' (${similarity})`;
}

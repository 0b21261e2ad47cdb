import type { StringTable } from '../../common/templates/string-table';
import type { ConsentChoices } from './consent-notice';

/** The retention as the notice states it: whole years as years, else days ("행사 종료 후 1년"). */
export function retentionText(days: number, strings: StringTable): string {
  return days % 365 === 0 ? strings.text('consent.retentionYears', { years: days / 365 }) : strings.text('consent.retentionDays', { days });
}

/** What the consent partial shows: the full notice, one checkbox per consent, ticked only where the person ticked it. */
export function consentNoticeView(
  recipients: readonly string[],
  clusterNames: Map<string, string>,
  retentionDays: number,
  strings: StringTable,
  choices: Partial<ConsentChoices> | null,
  missing: boolean,
) {
  const retention = retentionText(retentionDays, strings);
  return {
    version: strings.text('consent.version'),
    retention,
    collectionChecked: choices?.collection === true,
    collectionMissing: missing,
    marketingChecked: choices?.marketing === true,
    recipients: recipients.map((code) => {
      const name = clusterNames.get(code) ?? code;
      return {
        code,
        field: `consent_third_party_${code}`,
        recipient: strings.text('consent.thirdParty.recipient', { name }),
        label: strings.text('consent.thirdParty.label', { name }),
        checked: choices?.thirdParty?.[code] === true,
      };
    }),
  };
}

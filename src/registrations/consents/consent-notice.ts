import { clusterCodes } from '../../events/dto/event.view';
import type { SeminarEvent } from '../../events/entities/event.entity';

/** What a registrant chose, per notice; thirdParty is keyed by the recipient cluster's code. */
export interface ConsentChoices {
  collection: boolean;
  thirdParty: Record<string, boolean>;
  marketing: boolean;
}

export type ConsentKind = 'collection' | 'marketing' | `third_party:${string}`;

/**
 * The organisations an event's registrants' data goes to besides the operator: the lead host runs
 * the event, every other host cluster office receives the data.
 */
export function thirdPartyRecipients(event: SeminarEvent): string[] {
  return recipientsAmong(clusterCodes(event, 'host'), event.leadHost);
}

/** As thirdPartyRecipients, from the host codes (in the park's order) and the lead host. */
export function recipientsAmong(hosts: readonly string[], leadHost: string | null): string[] {
  const operator = operatorAmong(hosts, leadHost);
  return hosts.filter((code) => code !== operator);
}

/** The operator of an event: its lead host (주최), or for older and admin-made events its first host cluster. */
export function operatorOf(event: SeminarEvent): string | undefined {
  return operatorAmong(clusterCodes(event, 'host'), event.leadHost);
}

function operatorAmong(hosts: readonly string[], leadHost: string | null): string | undefined {
  // A lead host an edit took off the hosts no longer runs it: the first host does, as for older events.
  return leadHost && hosts.includes(leadHost) ? leadHost : hosts[0];
}

/**
 * Checks the API's `consents` object against the event's recipients: collection must be true (the
 * data cannot be processed otherwise), thirdParty keys must be recipients, every value a boolean.
 * Returns the choices, or the reasons it is refused.
 */
export function parseConsents(input: unknown, recipients: readonly string[]): { value?: ConsentChoices; errors: string[] } {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { errors: ['consents must be an object'] };
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!['collection', 'thirdParty', 'marketing'].includes(key)) errors.push(`consents.${key} is not a consent`);
  }
  if (raw.collection !== true) errors.push('consents.collection must be true: registration needs consent to the collection and use of personal data');
  if (raw.marketing !== undefined && typeof raw.marketing !== 'boolean') errors.push('consents.marketing must be a boolean');
  const thirdParty: Record<string, boolean> = {};
  if (raw.thirdParty !== undefined) {
    if (raw.thirdParty === null || typeof raw.thirdParty !== 'object' || Array.isArray(raw.thirdParty)) {
      errors.push('consents.thirdParty must be an object');
    } else {
      for (const [recipient, granted] of Object.entries(raw.thirdParty as Record<string, unknown>)) {
        if (!recipients.includes(recipient))
          errors.push(`consents.thirdParty.${recipient} is not a recipient of this event (recipients: ${recipients.join(', ') || 'none'})`);
        else if (typeof granted !== 'boolean') errors.push(`consents.thirdParty.${recipient} must be a boolean`);
        else thirdParty[recipient] = granted;
      }
    }
  }
  if (errors.length) return { errors };
  return { value: { collection: true, thirdParty, marketing: raw.marketing === true }, errors: [] };
}

/** The HTML form's checkboxes (`consent_collection`, `consent_third_party_<CODE>`, `consent_marketing`) as choices; unticked boxes are absent. */
export function consentsFromForm(body: Record<string, unknown> | undefined, recipients: readonly string[]): ConsentChoices {
  const ticked = (name: string) => body?.[name] !== undefined && body[name] !== '' && body[name] !== null;
  return {
    collection: ticked('consent_collection'),
    thirdParty: Object.fromEntries(recipients.map((code) => [code, ticked(`consent_third_party_${code}`)])),
    marketing: ticked('consent_marketing'),
  };
}

/** One row per notice: every recipient gets a row, a recipient not mentioned counts as refused. */
export function consentRows(choices: ConsentChoices, recipients: readonly string[]): { kind: ConsentKind; granted: boolean }[] {
  return [
    { kind: 'collection', granted: choices.collection },
    ...recipients.map((code) => ({ kind: `third_party:${code}` as ConsentKind, granted: choices.thirdParty[code] === true })),
    { kind: 'marketing', granted: choices.marketing },
  ];
}

/**
 * Whose registrations an organizer may see, by consent: null for everyone (admins, and organizers of
 * the first host, who runs the event); else the clusters whose third-party consent a registrant
 * must have given (a co-host's organizer sees only the people who agreed to share with its office).
 */
export function consentScope(principal: { role: string; clusters: readonly string[] } | null, event: SeminarEvent): string[] | null {
  if (!principal || principal.role === 'admin') return null;
  const operator = operatorOf(event);
  if (operator && principal.clusters.includes(operator)) return null;
  const recipients = thirdPartyRecipients(event);
  return principal.clusters.filter((code) => recipients.includes(code));
}

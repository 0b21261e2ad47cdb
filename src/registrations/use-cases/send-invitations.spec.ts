import { SystemClock } from '../../common/clock';
import type { DataSource, EntityManager } from 'typeorm';
import { ConflictError, InvalidInputError } from '../../common/errors/domain-errors';
import type { DirectoryService } from '../../directory/directory.service';
import type { Member } from '../../directory/entities/member.entity';
import type { SeminarEvent } from '../../events/entities/event.entity';
import type { EventsService } from '../../events/events.service';
import type { LinkTokensService } from '../../link-tokens/link-tokens.service';
import type { OutboxEntry, OutboxService } from '../../notifications/outbox/outbox.service';
import type { SuppressionReason } from '../../notifications/suppressions/mail-suppression.entity';
import type { SuppressionsService } from '../../notifications/suppressions/suppressions.service';
import type { RegistrationsRepository } from '../registrations.repository';
import { classifyInvitees, SendInvitations } from './send-invitations';

describe('sending invitations', () => {
  const member = (id: string, email: string, clusterCode: string) => ({ id, email, name: id, clusterCode, locale: 'ko' }) as Member;
  const people = [member('m1', 'minji@hanbit.example', 'ICT'), member('m2', 'John@Pixel.example', 'DC'), member('m3', 'ana@green.example', 'GREEN_IT')];

  function harness(event: Partial<SeminarEvent> = {}, unknown: string[] = [], unknownSigs: string[] = []) {
    const mails: OutboxEntry[] = [];
    const asked: { clusters: string[]; memberIds: string[]; sigIds?: string[] }[] = [];
    const dataSource = { transaction: (work: (m: EntityManager) => Promise<unknown>) => work({} as EntityManager) } as unknown as DataSource;
    const published = {
      id: 'e1',
      status: 'published',
      endsAt: new Date(Date.now() + 86_400_000),
      clusters: [
        { clusterCode: 'ICT', role: 'host' },
        { clusterCode: 'ICT', role: 'audience' },
        { clusterCode: 'DC', role: 'audience' },
      ],
      ...event,
    };
    const events = {
      lock: () => Promise.resolve(published as unknown as SeminarEvent),
      get: () => Promise.resolve(published as unknown as SeminarEvent),
    } as unknown as EventsService;
    const directory = {
      missingMemberIds: () => Promise.resolve(unknown),
      missingSigIds: () => Promise.resolve(unknownSigs),
      audience: (clusters: string[], memberIds: string[], sigIds: string[]) => Promise.resolve((asked.push({ clusters, memberIds, sigIds }), people)),
    } as unknown as DirectoryService;
    // John already holds a seat (emails compare case-insensitively).
    const registrations = { activeEmails: () => Promise.resolve(new Set(['john@pixel.example'])) } as unknown as RegistrationsRepository;
    const outbox = {
      queueReturningKeys: (_: EntityManager, entries: OutboxEntry[]) => Promise.resolve((mails.push(...entries), entries.map((entry) => entry.messageKey))),
      memberIdsWithMail: () => Promise.resolve(new Set<string>()),
    } as unknown as OutboxService;
    const suppressions = { blockingMany: () => Promise.resolve(new Map<string, SuppressionReason>()) } as unknown as SuppressionsService;
    const minted: { messageKey: string; purpose: string }[] = [];
    const tokens = {
      mintMany: (_: EntityManager, __: Date, entries: typeof minted) => Promise.resolve(void minted.push(...entries)),
    } as unknown as LinkTokensService;
    return {
      mails,
      asked,
      minted,
      useCase: new SendInvitations(dataSource, events, directory, registrations, outbox, suppressions, new SystemClock(), tokens),
    };
  }

  it('invites the audience clusters, never someone already registered, once per member and event', async () => {
    const { mails, asked, useCase } = harness();
    expect(await useCase.execute('e1', {})).toEqual({ queued: 2 });
    expect(asked).toEqual([{ clusters: ['ICT', 'DC'], memberIds: [], sigIds: [] }]);
    expect(mails.map((mail) => mail.dedupeKey)).toEqual(['invitation:e1:m1', 'invitation:e1:m3']);
  });

  it("stores each new mail's invitation and unsubscribe links with its row", async () => {
    const { mails, minted, useCase } = harness();
    await useCase.execute('e1', {});
    expect(minted.map((token) => [token.messageKey, token.purpose])).toEqual(
      mails.flatMap((mail) => [
        [mail.messageKey, 'accept_invitation'],
        [mail.messageKey, 'unsubscribe'],
      ]),
    );
    expect(new Set(mails.map((mail) => mail.messageKey)).size).toBe(2);
  });

  it('sends again under new keys when asked to resend', async () => {
    const { mails, useCase } = harness();
    await useCase.execute('e1', { resend: true });
    expect(mails.map((mail) => mail.dedupeKey)).toEqual([expect.stringMatching(/^invitation:e1:m1:\d+$/), expect.stringMatching(/^invitation:e1:m3:\d+$/)]);
  });

  it('refuses unknown members, a draft and an event that is over', async () => {
    await expect(harness({}, ['x']).useCase.execute('e1', { memberIds: ['x'] })).rejects.toThrow(InvalidInputError);
    await expect(harness({ status: 'draft' }).useCase.execute('e1', {})).rejects.toThrow(ConflictError);
    await expect(harness({ endsAt: new Date(Date.now() - 1000) }).useCase.execute('e1', {})).rejects.toThrow(ConflictError);
  });

  it("invites the SIGs' members alone when SIGs are named without clusters, and with the clusters when both are", async () => {
    const sigsOnly = harness();
    await sigsOnly.useCase.execute('e1', { sigs: ['s1'] });
    expect(sigsOnly.asked).toEqual([{ clusters: [], memberIds: [], sigIds: ['s1'] }]);
    const both = harness();
    await both.useCase.execute('e1', { sigs: ['s1'], clusters: ['GREEN_IT'] });
    expect(both.asked).toEqual([{ clusters: ['GREEN_IT'], memberIds: [], sigIds: ['s1'] }]);
  });

  it('refuses unknown SIGs', async () => {
    await expect(harness({}, [], ['s9']).useCase.execute('e1', { sigs: ['s9'] })).rejects.toThrow(InvalidInputError);
  });

  it('plans without writing: who is invited, and who is skipped for which reason', async () => {
    const { mails, useCase } = harness({ status: 'draft' });
    const plan = await useCase.plan('e1', {});
    expect(mails).toEqual([]);
    expect(plan.audience).toBe(3);
    expect(plan.invited.map((member) => member.id)).toEqual(['m1', 'm3']);
    expect(plan.skipped).toEqual({ registered: 1, alreadyInvited: 0, unsubscribed: 0, bounced: 0 });
  });

  it('skips the registered first, then those invited before (unless resending), and names each suppression', () => {
    const extra = [...people, member('m4', 'gone@bounce.example', 'ICT')];
    const facts = {
      registered: new Set(['john@pixel.example']),
      invitedMemberIds: new Set(['m1', 'm2']),
      suppressed: new Map<string, SuppressionReason>([
        ['ana@green.example', 'unsubscribe'],
        ['gone@bounce.example', 'bounce'],
      ]),
    };
    expect([...classifyInvitees(extra, { ...facts, resend: false }).values()]).toEqual(['already_invited', 'registered', 'unsubscribe', 'bounce']);
    expect([...classifyInvitees(extra, { ...facts, resend: true }).values()]).toEqual(['invite', 'registered', 'unsubscribe', 'bounce']);
  });
});

import { SystemClock } from '../../common/clock';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-errors';
import type { DirectoryService } from '../../directory/directory.service';
import type { EventsService } from '../../events/events.service';
import type { OutboxEntry, OutboxService } from '../../notifications/outbox/outbox.service';
import type { PublicRegistrationInput, RegistrationsRepository } from '../registrations.repository';
import type { TemplateRenderer } from '../../common/templates/template-renderer.service';
import type { ConsentsRepository } from '../consents/consents.repository';
import { RegisterPublicly } from './register-publicly';

describe('registering on the public page', () => {
  const published = { id: 'e1', status: 'published', registrationOpensAt: null, registrationClosesAt: null, endsAt: new Date(Date.now() + 86_400_000) };

  /** `inserted`: the id a new registration gets (undefined: the email is registered already); `reopened`: a cancelled one reopened. */
  function harness(options: {
    inserted?: string;
    reopened?: string;
    event?: object;
    member?: { id: string; locale: string; clusterCode: string } | null;
    domainCluster?: string | null;
  }) {
    const mails: OutboxEntry[] = [];
    const stored: unknown[] = [];
    const consentRows: { registrationId: string; version: string; rows: unknown[] }[] = [];
    const manager = {} as EntityManager;
    const dataSource = { transaction: (work: (m: EntityManager) => Promise<unknown>) => work(manager) } as unknown as DataSource;
    const events = { registrationFacts: () => Promise.resolve({ ...published, hosts: [], leadHost: null, ...options.event }) } as unknown as EventsService;
    const directory = {
      clusterForEmail: () =>
        Promise.resolve({
          memberId: options.member?.id ?? null,
          locale: options.member?.locale ?? null,
          clusterCode: options.member?.clusterCode ?? options.domainCluster ?? null,
          company: options.domainCluster ? 'Pixel Works' : null,
        }),
    } as unknown as DirectoryService;
    // The statement double is the input itself: the outbox double "runs" it (the real one in one round trip).
    const registrations = {
      insertPublicStatement: (input: PublicRegistrationInput) => input,
      reopenCancelled: () => Promise.resolve(options.reopened),
    } as unknown as RegistrationsRepository;
    const outbox = {
      queue: (_: EntityManager, entries: OutboxEntry[]) => Promise.resolve((mails.push(...entries), entries.length)),
      queueForEachRow: (
        _: EntityManager,
        { consents: withRow, ...input }: PublicRegistrationInput,
        { dedupePrefix, ...entry }: OutboxEntry & { dedupePrefix: string },
      ) => {
        stored.push(input);
        const id = options.inserted;
        if (!id) return Promise.resolve([]);
        // The consents go with a new row; a reopened registration stores them apart.
        if (withRow) consentRows.push({ registrationId: id, version: withRow.version, rows: withRow.rows });
        mails.push({ ...entry, dedupeKey: `${dedupePrefix}${id}`, registrationId: id });
        return Promise.resolve([id]);
      },
    } as unknown as OutboxService;
    const consents = {
      store: (_: EntityManager, registrationId: string, version: string, _at: Date, rows: unknown[]) =>
        Promise.resolve(void consentRows.push({ registrationId, version, rows })),
    } as unknown as ConsentsRepository;
    const templates = { strings: () => ({ text: () => '2026-11-30' }) } as unknown as TemplateRenderer;
    return {
      mails,
      stored,
      consentRows,
      useCase: new RegisterPublicly(dataSource, events, directory, registrations, outbox, new SystemClock(), consents, templates),
    };
  }
  const dto = { email: 'guest@pixel.example', name: 'Guest' };

  it('stores a new registration as pending, counted for the cluster of its email domain, and mails the opt-in link', async () => {
    const { mails, stored, useCase } = harness({ inserted: 'r1', domainCluster: 'DC' });
    await useCase.execute('e1', dto);
    expect(stored).toEqual([{ eventId: 'e1', email: 'guest@pixel.example', memberId: null, name: 'Guest', company: 'Pixel Works', clusterCode: 'DC' }]);
    expect(mails).toMatchObject([{ kind: 'registration_opt_in', dedupeKey: 'opt_in:r1', registrationId: 'r1', locale: 'ko' }]);
  });

  it('reopens a cancelled registration with a new opt-in mail', async () => {
    const { mails, useCase } = harness({ reopened: 'r2' });
    await useCase.execute('e1', dto);
    expect(mails).toHaveLength(1);
    expect(mails[0].dedupeKey).toMatch(/^opt_in:r2:\d+$/);
  });

  it('says nothing more to an address already registered (the answer is the same either way)', async () => {
    const { mails, useCase } = harness({});
    await expect(useCase.execute('e1', dto)).resolves.toBeUndefined();
    expect(mails).toEqual([]);
  });

  it('refuses outside the registration window with a 409 saying when', async () => {
    const opensAt = new Date(Date.now() + 3_600_000);
    const { mails, useCase } = harness({ inserted: 'r1', event: { registrationOpensAt: opensAt } });
    await expect(useCase.execute('e1', dto)).rejects.toThrow(new DomainError('conflict', `registration opens at ${opensAt.toISOString()}`));
    expect(mails).toEqual([]);
  });

  // ICT runs it (the first host, no lead host named); DC receives the registrants' data.
  const cohosted = { hosts: ['ICT', 'DC'] };

  it('stores one consent row per notice, with the notice version, when the API sends consents', async () => {
    const { consentRows, useCase } = harness({ inserted: 'r1', event: cohosted });
    await useCase.execute('e1', { ...dto, consents: { collection: true, thirdParty: { DC: true } } });
    expect(consentRows).toEqual([
      {
        registrationId: 'r1',
        version: '2026-11-30',
        rows: [
          { kind: 'collection', granted: true },
          { kind: 'third_party:DC', granted: true },
          { kind: 'marketing', granted: false },
        ],
      },
    ]);
  });

  it('stores the consents of a reopened registration too', async () => {
    const { consentRows, mails, useCase } = harness({ reopened: 'r2', event: cohosted });
    await useCase.execute('e1', { ...dto, consents: { collection: true } });
    expect(consentRows).toMatchObject([
      {
        registrationId: 'r2',
        rows: [
          { kind: 'collection', granted: true },
          { kind: 'third_party:DC', granted: false },
          { kind: 'marketing', granted: false },
        ],
      },
    ]);
    expect(mails).toHaveLength(1);
  });

  it('refuses consents without the collection consent, or naming someone who is no recipient, and stores nothing', async () => {
    const { stored, mails, useCase } = harness({ inserted: 'r1', event: cohosted });
    await expect(useCase.execute('e1', { ...dto, consents: { collection: false } })).rejects.toThrow(/^consents.collection must be true: /);
    await expect(useCase.execute('e1', { ...dto, consents: { collection: true, thirdParty: { ICT: true } } })).rejects.toThrow(
      /consents.thirdParty.ICT is not a recipient/,
    );
    expect(stored).toEqual([]);
    expect(mails).toEqual([]);
  });

  it('registers without consent rows when an older client sends no consents (the link asks later)', async () => {
    const { consentRows, mails, useCase } = harness({ inserted: 'r1', event: cohosted });
    await useCase.execute('e1', dto);
    expect(consentRows).toEqual([]);
    expect(mails).toHaveLength(1);
  });
});

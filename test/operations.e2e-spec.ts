import { generateKeyPairSync } from 'node:crypto';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import { client } from './support/http';
import { queueBackends, startTestApp, TestApp } from './support/test-app';

/**
 * The operations part of the performance issue: outgoing mail signed with DKIM, Prometheus
 * metrics for the admin, liveness and readiness probes beside the unchanged /health.
 */
describe.each(queueBackends())('operations with the %s queue backend', (queue) => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyBase64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  let t: TestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({
      queue,
      env: {
        MAIL_FROM: 'seminars@mail.seminarhub.test',
        DKIM_DOMAIN: 'mail.seminarhub.test',
        DKIM_SELECTOR: 'hub2026',
        // As an env file or a secret store often carries it: one line, \n for the line breaks.
        DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n'),
      },
    });
    api = client(t.url, t.adminToken);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** One invitation to a new member of ICT; resolves when the SMTP server has it. */
  async function inviteOne(email: string): Promise<void> {
    const member = await api.post('/api/members', { email, name: 'Ops Test', company: 'Ops Inc.', clusterCode: 'ICT', locale: 'en' });
    expect(member.status).toBe(201);
    const event = await api.post('/api/events', {
      title: `Ops drill ${email}`,
      type: 'seminar',
      startsAt: '2027-06-15T10:00:00+09:00',
      endsAt: '2027-06-15T12:00:00+09:00',
      hostClusters: ['ICT'],
      audienceClusters: ['ICT'],
    });
    expect(event.status).toBe(201);
    expect((await api.post(`/api/events/${event.body.id}/publish`)).status).toBe(200);
    expect((await api.post(`/api/events/${event.body.id}/invitations`, { clusters: [], memberIds: [member.body.id] })).body).toEqual({ queued: 1 });
    await t.mailbox.waitFor(() => t.mailbox.to(email).length === 1, `the invitation to ${email}`);
  }

  it('signs every mail with DKIM (d= and s= of the config) and the signature verifies with the published key', async () => {
    await inviteOne('dkim@member.test');
    const [mail] = t.mailbox.to('dkim@member.test');
    const header = (mail.parsed.headerLines.find((line) => line.key === 'dkim-signature')?.line ?? '').replace(/\s+/g, ' ');
    expect(header).toMatch(/[:;]\s*d=mail\.seminarhub\.test(;|$)/);
    expect(header).toMatch(/[:;]\s*s=hub2026(;|$)/);
    expect(header).toMatch(/[:;]\s*a=rsa-sha256(;|$)/);

    const lookups: string[] = [];
    const resolver = async (name: string, type: string) => {
      lookups.push(`${type} ${name}`);
      if (type === 'TXT' && name === 'hub2026._domainkey.mail.seminarhub.test') return [[`v=DKIM1; k=rsa; p=${publicKeyBase64}`]];
      throw Object.assign(new Error(`no ${type} for ${name}`), { code: 'ENOTFOUND' });
    };
    const verified = await dkimVerify(Buffer.from(mail.raw), { resolver });
    expect(lookups).toContain('TXT hub2026._domainkey.mail.seminarhub.test');
    expect(verified.results).toHaveLength(1);
    expect(verified.results[0]).toMatchObject({ signingDomain: 'mail.seminarhub.test', selector: 'hub2026', status: { result: 'pass' } });

    // The same mail with its body changed fails: the signature covers the body.
    const tampered = mail.raw.replace(/Ops drill/, 'Ops drilL');
    expect(tampered).not.toBe(mail.raw);
    const broken = await dkimVerify(Buffer.from(tampered), { resolver });
    expect(broken.results[0].status.result).not.toBe('pass');
  });
});

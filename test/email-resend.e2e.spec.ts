import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import {
  EmailDeliverer,
  type EmailMessage,
  makeProvider,
  ResendEmailProvider,
  SmtpEmailProvider,
} from '#cairn/messaging';
import { loadConfig } from '#cairn/shared/config';
import {
  type FakeResend,
  type FirmFixture,
  signUpFirm,
  startFakeResend,
  testConfig,
} from '#cairn/shared/testing';
import { sendDueEmails, TestApi } from './support/index.js';

/**
 * Email through Resend's HTTP API with the delivery id as Idempotency-Key, against a local fake Resend that
 * deduplicates by key as Resend documents: the provider's outcomes, the configuration's choice, and the app's
 * deliverer sending through it (one email for a delivery sent twice).
 */
const API_KEY = 're_test_key';

const message = (extra: Partial<EmailMessage> = {}): EmailMessage => ({
  from: 'Summit Coaching <coach@mail.summit.example>',
  to: { name: 'Ada Lovelace', address: 'ada@client.example' },
  subject: 'Your check-in is due',
  text: 'Hi Ada',
  html: '<p>Hi Ada</p>',
  messageId: '<d-1@mail.summit.example>',
  ...extra,
});

describe('ResendEmailProvider', () => {
  let resend: FakeResend | undefined;
  const start = async () => (resend = await startFakeResend(API_KEY));
  const providerFor = (fake: FakeResend, options: { apiKey?: string; timeoutMs?: number } = {}) =>
    new ResendEmailProvider({ apiKey: API_KEY, apiUrl: `${fake.url}/`, ...options });
  afterEach(async () => {
    await resend?.close();
    resend = undefined;
  });

  it('POSTs the message to /emails with the API key, the delivery id as Idempotency-Key, and its headers', async () => {
    const fake = await start();
    const outcome = await providerFor(fake).send(
      message({
        unsubscribeUrl: 'https://cairn.example/unsubscribe/t0k',
        headers: { 'X-Cairn-Tenant': 'summit' },
      }),
      { idempotencyKey: 'delivery-1' },
    );
    expect(outcome).toMatchObject({ sent: true, response: expect.stringMatching(/^200 \{"id":"/) });
    expect(fake.emails).toHaveLength(1);
    const [{ headers, body }] = fake.emails;
    expect(headers).toMatchObject({
      authorization: `Bearer ${API_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': 'delivery-1',
    });
    expect(body).toEqual({
      from: 'Summit Coaching <coach@mail.summit.example>',
      to: ['Ada Lovelace <ada@client.example>'],
      subject: 'Your check-in is due',
      text: 'Hi Ada',
      html: '<p>Hi Ada</p>',
      headers: {
        'X-Cairn-Tenant': 'summit',
        'Message-ID': '<d-1@mail.summit.example>',
        'List-Unsubscribe': '<https://cairn.example/unsubscribe/t0k>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  });

  it('quotes a display name with specials, and leaves out html and unsubscribe headers it has none of', async () => {
    const fake = await start();
    await providerFor(fake).send(
      message({ to: { name: 'Lovelace, Ada "A."', address: 'ada@client.example' }, html: null }),
      {
        idempotencyKey: 'delivery-2',
      },
    );
    expect(fake.emails[0].body).toMatchObject({ to: ['"Lovelace, Ada \\"A.\\"" <ada@client.example>'] });
    expect(fake.emails[0].body).not.toHaveProperty('html');
    expect(fake.emails[0].body.headers).toEqual({ 'Message-ID': '<d-1@mail.summit.example>' });
  });

  it('sends a delivery repeated by a worker that died before recording it once: both calls count as sent', async () => {
    const fake = await start();
    const provider = providerFor(fake);
    const first = await provider.send(message(), { idempotencyKey: 'delivery-1' });
    // The worker was killed here, after Resend accepted, before the outcome was recorded; another one retries.
    const again = await providerFor(fake).send(message(), { idempotencyKey: 'delivery-1' });
    expect([first.sent, again.sent]).toEqual([true, true]);
    // Resend answers the repeat with the first answer (the same email id).
    expect(again.sent && again.response).toBe(first.sent && first.response);
    expect(fake.requests).toHaveLength(2);
    expect(fake.emails).toHaveLength(1);
    // Another delivery is another email.
    expect((await provider.send(message(), { idempotencyKey: 'delivery-2' })).sent).toBe(true);
    expect(fake.emails).toHaveLength(2);
  });

  it('retries an answer lost on the way back, and the retry is not a second email', async () => {
    const fake = await start();
    fake.answer('accept-then-hang-up');
    const provider = providerFor(fake);
    const lost = await provider.send(message(), { idempotencyKey: 'delivery-1' });
    expect(lost).toMatchObject({
      sent: false,
      permanent: false,
      response: null,
      error: expect.stringMatching(/fetch failed|socket/i),
    });
    expect(fake.emails).toHaveLength(1);
    expect((await provider.send(message(), { idempotencyKey: 'delivery-1' })).sent).toBe(true);
    expect(fake.emails).toHaveLength(1);
  });

  it('takes a 409 for a key used with another body as already sent', async () => {
    const fake = await start();
    const provider = providerFor(fake);
    await provider.send(message(), { idempotencyKey: 'delivery-1' });
    // E.g. the retry rendered the subject anew: Resend refuses the key's second body, and the first went out.
    const outcome = await provider.send(message({ subject: 'Reminder: your check-in is due' }), {
      idempotencyKey: 'delivery-1',
    });
    expect(outcome).toMatchObject({
      sent: true,
      response: expect.stringMatching(
        /^already sent under this idempotency key \(409 invalid_idempotent_request: /,
      ),
    });
    expect(fake.emails).toHaveLength(1);
  });

  it('retries a 409 for a key whose first request is still in flight; the retry gets that request’s answer', async () => {
    const fake = await start();
    fake.answer('hold');
    const held = fake.holding();
    const first = providerFor(fake).send(message(), { idempotencyKey: 'delivery-1' });
    await held;
    const concurrent = await providerFor(fake).send(message(), { idempotencyKey: 'delivery-1' });
    expect(concurrent).toMatchObject({
      sent: false,
      permanent: false,
      error: expect.stringMatching(/^409 concurrent_idempotent_requests: /),
    });
    fake.release();
    expect((await first).sent).toBe(true);
    expect((await providerFor(fake).send(message(), { idempotencyKey: 'delivery-1' })).sent).toBe(true);
    expect(fake.emails).toHaveLength(1);
  });

  it('retries 429 and 5xx answers, and fails other 4xx for good with Resend’s message', async () => {
    const fake = await start();
    const provider = providerFor(fake);
    const error = (status: number, name: string, text: string) => ({
      status,
      body: { statusCode: status, name, message: text },
    });
    fake.answer(
      error(429, 'rate_limit_exceeded', 'Too many requests. You can only make 2 requests per second.'),
      error(500, 'internal_server_error', 'An unexpected error occurred.'),
      error(503, 'service_unavailable', 'Try again later.'),
      { status: 502, body: {} },
      error(422, 'validation_error', 'Invalid `to` field.'),
      error(403, 'validation_error', 'The mail.summit.example domain is not verified.'),
      error(400, 'invalid_idempotency_key', 'Idempotency keys must have between 1 and 256 characters.'),
    );
    const outcomes = [];
    for (let i = 0; i < 7; i++)
      outcomes.push(await provider.send(message(), { idempotencyKey: `delivery-${i}` }));
    expect(outcomes.map((o) => !o.sent && o.permanent)).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
      true,
    ]);
    expect(outcomes.every((o) => !o.sent)).toBe(true);
    expect(outcomes[0]).toMatchObject({
      error: '429 rate_limit_exceeded: Too many requests. You can only make 2 requests per second.',
    });
    expect(outcomes[3]).toMatchObject({ error: '502: {}' });
    expect(outcomes[4]).toMatchObject({
      error: '422 validation_error: Invalid `to` field.',
      response: JSON.stringify({ statusCode: 422, name: 'validation_error', message: 'Invalid `to` field.' }),
    });
    expect(fake.emails).toEqual([]);
  });

  it('fails a revoked or wrong API key for good', async () => {
    const fake = await start();
    const outcome = await providerFor(fake, { apiKey: 're_revoked' }).send(message(), {
      idempotencyKey: 'delivery-1',
    });
    expect(outcome).toMatchObject({
      sent: false,
      permanent: true,
      error: '401 validation_error: API key is invalid',
    });
  });

  it('retries when Resend cannot be reached, hangs up, or does not answer in time', async () => {
    const fake = await start();
    fake.answer('hang-up', 'hold');
    const provider = providerFor(fake, { timeoutMs: 200 });
    expect(await provider.send(message(), { idempotencyKey: 'delivery-1' })).toMatchObject({
      sent: false,
      permanent: false,
    });
    const timedOut = await provider.send(message(), { idempotencyKey: 'delivery-2' });
    expect(timedOut).toMatchObject({
      sent: false,
      permanent: false,
      error: expect.stringMatching(/^TimeoutError/),
    });
    fake.release();
    const url = fake.url;
    await fake.close();
    resend = undefined;
    const down = await new ResendEmailProvider({ apiKey: API_KEY, apiUrl: url }).send(message(), {
      idempotencyKey: 'delivery-3',
    });
    expect(down).toMatchObject({
      sent: false,
      permanent: false,
      error: expect.stringMatching(/ECONNREFUSED/),
    });
  });
});

describe('the email provider the configuration picks', () => {
  const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cairn', JWT_SECRET: 'x'.repeat(32) };

  it('is SMTP when only SMTP_URL is set, Resend with EMAIL_PROVIDER=resend, and none without either', () => {
    const smtp = makeProvider(loadConfig({ ...base, SMTP_URL: 'smtp://127.0.0.1:2525' }));
    expect(smtp).toBeInstanceOf(SmtpEmailProvider);
    smtp.close();
    expect(
      makeProvider(loadConfig({ ...base, EMAIL_PROVIDER: 'resend', RESEND_API_KEY: API_KEY })),
    ).toBeInstanceOf(ResendEmailProvider);
    expect(() => makeProvider(loadConfig(base))).toThrow(/Email is not configured/);
  });

  it('sends through a Resend at RESEND_API_URL', async () => {
    const fake = await startFakeResend(API_KEY);
    try {
      const provider = makeProvider(
        loadConfig({ ...base, EMAIL_PROVIDER: 'resend', RESEND_API_KEY: API_KEY, RESEND_API_URL: fake.url }),
      );
      expect((await provider.send(message(), { idempotencyKey: 'delivery-1' })).sent).toBe(true);
      expect(fake.emails).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });
});

describe('email deliveries through Resend', () => {
  const INVITE = `mutation ($input: InviteUserInput!) { inviteUser(input: $input) { token } }`;
  let fake: FakeResend;
  let api: TestApi;
  let deliverer: EmailDeliverer;
  let firm: FirmFixture;

  beforeAll(async () => {
    fake = await startFakeResend(API_KEY);
    api = await TestApi.start(
      ApiModule.forRoot(
        testConfig({
          EMAIL_PROVIDER: 'resend',
          RESEND_API_KEY: API_KEY,
          RESEND_API_URL: fake.url,
          MAIL_FROM: 'Summit Coaching <coach@mail.summit.example>',
          // Invitations are emailed when there is a link to put in them.
          INVITE_URL_PATTERN: 'https://app.example.test/join?token={token}',
        }),
      ),
    );
    deliverer = api.app.get(EmailDeliverer, { strict: false });
    firm = await signUpFirm(api, 'Summit Coaching');
  });
  afterAll(async () => {
    await api?.close();
    await fake?.close();
  });

  const invite = async (email: string) => {
    await api.ok(
      INVITE,
      { input: { email, displayName: 'Ada Lovelace', role: 'COACH' } },
      { token: firm.admin.accessToken },
    );
    const [row] = await api.dataSource.query<{ id: string }[]>(
      `SELECT d.id FROM message_deliveries d JOIN messages m ON m.id = d.message_id
        WHERE m.tenant_id = $1 AND m.recipient_email = $2 AND d.channel = 'EMAIL'`,
      [firm.tenantId, email],
    );
    return row.id;
  };
  const deliveryStatus = async (id: string) =>
    (
      await api.dataSource.query<{ status: string }[]>(
        `SELECT status FROM message_deliveries WHERE id = $1`,
        [id],
      )
    )[0].status;

  it('sends an email with the delivery id as Idempotency-Key, its Message-ID and MAIL_FROM', async () => {
    const email = `ada-1@${firm.slug}.test`;
    const deliveryId = await invite(email);
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['sent']);
    const sent = fake.emails.filter((e) => JSON.stringify(e.body.to).includes(email));
    expect(sent).toHaveLength(1);
    expect(sent[0].headers['idempotency-key']).toBe(deliveryId);
    expect(sent[0].body).toMatchObject({
      from: 'Summit Coaching <coach@mail.summit.example>',
      to: [`Ada Lovelace <${email}>`],
      subject: expect.stringMatching(/invited you to join Summit Coaching$/),
      headers: {
        'Message-ID': `<${deliveryId}@mail.summit.example>`,
        'X-Cairn-Delivery-Id': deliveryId,
      },
    });
    expect(await deliveryStatus(deliveryId)).toBe('SENT');
  });

  it('sends a delivery whose first answer was lost, retried, once: the retry is answered from the first send', async () => {
    const email = `ada-2@${firm.slug}.test`;
    const deliveryId = await invite(email);
    // Resend accepts and sends, but the answer never arrives: to the worker, as good as killed after the POST.
    fake.answer('accept-then-hang-up');
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['retrying']);
    expect(await deliveryStatus(deliveryId)).toBe('QUEUED');
    // The retry's time has come.
    await api.dataSource.query(`UPDATE message_deliveries SET next_attempt_at = now() WHERE id = $1`, [
      deliveryId,
    ]);
    expect(await sendDueEmails(deliverer, firm.tenantId)).toEqual(['sent']);
    const requests = fake.requests.filter((r) => JSON.stringify(r.body.to).includes(email));
    expect(requests.map((r) => r.headers['idempotency-key'])).toEqual([deliveryId, deliveryId]);
    expect(fake.emails.filter((e) => JSON.stringify(e.body.to).includes(email))).toHaveLength(1);
    expect(await deliveryStatus(deliveryId)).toBe('SENT');
  });
});

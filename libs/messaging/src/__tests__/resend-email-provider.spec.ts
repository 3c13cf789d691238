import { createHash, randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '#cairn/shared/config';
import type { EmailMessage } from '../email/email-provider.js';
import { makeProvider } from '../email/email-transport.js';
import { ResendEmailProvider } from '../email/resend-email-provider.js';
import { SmtpEmailProvider } from '../email/smtp-email-provider.js';

const API_KEY = 're_test_key';

interface Request {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** What the fake answers instead of accepting: a status and a body, or `'hang-up'` after reading the request. */
type Scripted = { status: number; body: object } | 'hang-up' | 'accept-then-hang-up' | 'hold';

/**
 * A fake Resend `POST /emails`, deduplicating by Idempotency-Key the way Resend documents it: the same key and
 * body get the first answer again without a second email, the same key with another body a 409
 * `invalid_idempotent_request`, and a key whose first request is still being handled a 409
 * `concurrent_idempotent_requests`. `emails` are the emails it really sent.
 */
class FakeResend {
  readonly requests: Request[] = [];
  readonly emails: Request[] = [];
  private readonly script: Scripted[] = [];
  private readonly keys = new Map<string, { hash: string; answer?: string }>();
  private held?: () => void;
  private heldReceived?: () => void;
  private readonly server: HttpServer;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return this;
  }

  /** The next requests' answers, in order; then the normal behaviour. */
  answer(...next: Scripted[]): void {
    this.script.push(...next);
  }

  /** Resolves once a `'hold'` request has arrived; `release()` then lets it complete (and send). */
  holding(): Promise<void> {
    return new Promise((resolve) => (this.heldReceived = resolve));
  }

  release(): void {
    this.held?.();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString();
    const request: Request = { headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> };
    this.requests.push(request);
    const reply = (status: number, body: object | string): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/emails')
      return reply(404, { statusCode: 404, name: 'not_found', message: 'Not found' });
    if (req.headers.authorization !== `Bearer ${API_KEY}`)
      return reply(401, { statusCode: 401, name: 'validation_error', message: 'API key is invalid' });
    const scripted = this.script.shift();
    if (scripted === 'hang-up') return void req.socket.destroy();
    if (scripted && typeof scripted === 'object') return reply(scripted.status, scripted.body);

    const key = req.headers['idempotency-key'] as string | undefined;
    const hash = createHash('sha256').update(raw).digest('hex');
    const seen = key === undefined ? undefined : this.keys.get(key);
    if (seen && seen.hash !== hash)
      return reply(409, {
        statusCode: 409,
        name: 'invalid_idempotent_request',
        message:
          'Same idempotency key used with a different request payload. Change your idempotency key or payload.',
      });
    if (seen && seen.answer === undefined)
      return reply(409, {
        statusCode: 409,
        name: 'concurrent_idempotent_requests',
        message:
          'Same idempotency key used while original request is still in progress. Try the request again later.',
      });
    if (seen) return reply(200, seen.answer!);

    const entry: { hash: string; answer?: string } = { hash };
    if (key !== undefined) this.keys.set(key, entry);
    if (scripted === 'hold') {
      await new Promise<void>((resolve) => {
        this.held = resolve;
        this.heldReceived?.();
      });
    }
    this.emails.push(request);
    entry.answer = JSON.stringify({ id: randomUUID() });
    // Sent, but the answer never reaches the caller: the case an idempotency key exists for.
    if (scripted === 'accept-then-hang-up') return void req.socket.destroy();
    reply(200, entry.answer);
  }
}

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
  const start = async () => (resend = await new FakeResend().start());
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
    const fake = await new FakeResend().start();
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

import { generateKeyPairSync } from 'node:crypto';
import { jest } from '@jest/globals';
import { type AddressInfo, Socket } from 'node:net';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { simpleParser } from 'mailparser';
import { generate } from 'selfsigned';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { EmailMessage } from '../email/email-provider.js';
import { SmtpEmailProvider, type SmtpProviderOptions } from '../email/smtp-email-provider.js';

interface Received {
  to: string;
  raw: Buffer;
  secure: boolean;
  user: string | undefined;
}

interface Server {
  port: number;
  received: Received[];
  connections: () => number;
  close: () => Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, valid now (smtp-server's built-in one has expired). */
const selfSigned = generate([{ name: 'commonName', value: '127.0.0.1' }], {
  keySize: 2048,
  extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
});

/** smtp-server offering STARTTLS (or implicit TLS with `secure`) with a self-signed certificate. */
async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<Server> {
  const received: Received[] = [];
  let connections = 0;
  const { private: key, cert } = await selfSigned;
  const server = new SMTPServer({
    key,
    cert,
    authOptional: true,
    logger: false,
    closeTimeout: 100,
    onConnect(_session, callback) {
      connections += 1;
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused'))
        return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      if (address.address.startsWith('busy'))
        return callback(Object.assign(new Error('Try later'), { responseCode: 451 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo[0].address,
          raw: Buffer.concat(chunks),
          secure: session.secure,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
    ...options,
  });
  // A client that refuses the certificate hangs up mid-handshake: expected here.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const message = (to: string, extra: Partial<EmailMessage> = {}): EmailMessage => ({
  from: 'Cairn <no-reply@cairn.example>',
  to: { name: 'Ada', address: to },
  subject: `Hello ${to}`,
  text: 'Hi there',
  html: '<p>Hi there</p>',
  messageId: `<${to}>`,
  ...extra,
});
const key = { idempotencyKey: 'delivery-1' };

describe('SmtpEmailProvider', () => {
  let server: Server | undefined;
  let provider: SmtpEmailProvider | undefined;
  const providerFor = (url: string, options: Partial<SmtpProviderOptions> = {}) =>
    (provider = new SmtpEmailProvider({ url, allowSelfSigned: false, ...options }));
  afterEach(async () => {
    provider?.close();
    provider = undefined;
    await server?.close();
    server = undefined;
  });

  it('sends many messages over at most maxConnections pooled connections, and reuses them for the next ones', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    providerFor(`smtp://127.0.0.1:${server.port}?maxConnections=3`);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => provider!.send(message(`c${i}@firm.example`), key)),
    );
    expect(outcomes.every((o) => o.sent)).toBe(true);
    expect(server.received.map((r) => r.to).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `c${i}@firm.example`).sort(),
    );
    expect(server.connections()).toBeLessThanOrEqual(3);
    const opened = server.connections();
    for (let i = 0; i < 5; i++)
      expect((await provider!.send(message(`later${i}@firm.example`), key)).sent).toBe(true);
    expect(server.connections()).toBe(opened);
    const mail = await simpleParser(server.received.find((r) => r.to === 'c7@firm.example')!.raw);
    expect(mail.subject).toBe('Hello c7@firm.example');
    expect(mail.messageId).toBe('<c7@firm.example>');
    expect(mail.from?.value).toEqual([{ name: 'Cairn', address: 'no-reply@cairn.example' }]);
    expect([mail.text?.trim(), mail.html]).toEqual(['Hi there', '<p>Hi there</p>']);
  });

  it('writes each composed message to the connection in one piece, not one write per MIME part', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    providerFor(`smtp://127.0.0.1:${server.port}`);
    const writes: string[] = [];
    const realWrite = Socket.prototype.write;
    const write = jest.spyOn(Socket.prototype, 'write').mockImplementation(function (
      this: Socket,
      ...args: Parameters<Socket['write']>
    ) {
      writes.push(String(args[0]));
      return realWrite.apply(this, args);
    });
    try {
      expect((await provider!.send(message('a@firm.example'), key)).sent).toBe(true);
    } finally {
      write.mockRestore();
    }
    const body = writes.filter((w) => /Subject: Hello|<p>Hi there<\/p>|--\r\n$/.test(w));
    expect(body).toHaveLength(1);
    expect(body[0]).toMatch(/Subject: Hello[\s\S]*Hi there[\s\S]*<p>Hi there<\/p>[\s\S]*--\r\n$/);
    expect((await simpleParser(server.received[0].raw)).html).toBe('<p>Hi there</p>');
  });

  it('encodes text that is not ASCII as base64 parts, which read back unchanged', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    const text = 'Your “Daily pulse” check-in closes at 18:00 — Zoë';
    await providerFor(`smtp://127.0.0.1:${server.port}`).send(
      message('a@firm.example', { text, html: `<p>${text}</p>` }),
      key,
    );
    const raw = server.received[0].raw.toString();
    expect(raw.match(/^Content-Transfer-Encoding: base64\r$/gm)).toHaveLength(2);
    const mail = await simpleParser(server.received[0].raw);
    expect([mail.text?.trim(), mail.html]).toEqual([text, `<p>${text}</p>`]);
  });

  it('fails a recipient refused with a 5xx for good, a 4xx for a retry, and keeps sending the others', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    providerFor(`smtp://127.0.0.1:${server.port}?maxConnections=1`);
    const [refused, busy, ok] = await Promise.all([
      provider!.send(message('refused@firm.example'), key),
      provider!.send(message('busy@firm.example'), key),
      provider!.send(message('ok@firm.example'), key),
    ]);
    expect(refused).toMatchObject({ sent: false, permanent: true, response: expect.stringMatching(/^550/) });
    expect(busy).toMatchObject({ sent: false, permanent: false, response: expect.stringMatching(/^451/) });
    expect(ok.sent).toBe(true);
    expect(server.received.map((r) => r.to)).toEqual(['ok@firm.example']);
  });

  it('fails a send to a server that is down as worth retrying', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    const port = server.port;
    await server.close();
    server = undefined;
    const outcome = await providerFor(`smtp://127.0.0.1:${port}`).send(message('a@firm.example'), key);
    expect(outcome).toMatchObject({
      sent: false,
      permanent: false,
      error: expect.stringMatching(/ECONNECTION|ESOCKET/),
    });
  });

  it('refuses a self-signed certificate on implicit TLS unless SMTP_TLS_ALLOW_SELF_SIGNED allows it', async () => {
    server = await startServer({ secure: true });
    const refused = await providerFor(`smtps://127.0.0.1:${server.port}`).send(
      message('a@firm.example'),
      key,
    );
    expect(refused).toMatchObject({
      sent: false,
      permanent: false,
      error: expect.stringMatching(/self[- ]signed certificate/i),
    });
    expect(server.received).toEqual([]);
    provider!.close();
    const accepted = await providerFor(`smtps://127.0.0.1:${server.port}`, { allowSelfSigned: true }).send(
      message('b@firm.example'),
      key,
    );
    expect(accepted.sent).toBe(true);
    expect(server.received).toMatchObject([{ to: 'b@firm.example', secure: true }]);
  });

  it('upgrades with STARTTLS when offered, refusing a self-signed certificate rather than falling back to plain text', async () => {
    server = await startServer();
    const refused = await providerFor(`smtp://127.0.0.1:${server.port}`).send(message('a@firm.example'), key);
    expect(refused).toMatchObject({
      sent: false,
      permanent: false,
      error: expect.stringMatching(/certificate/i),
    });
    expect(server.received).toEqual([]);
    provider!.close();
    const accepted = await providerFor(`smtp://127.0.0.1:${server.port}`, { allowSelfSigned: true }).send(
      message('b@firm.example'),
      key,
    );
    expect(accepted.sent).toBe(true);
    expect(server.received).toMatchObject([{ to: 'b@firm.example', secure: true }]);
  });

  it('never sends in the clear with requireTLS when the server offers no STARTTLS', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    const outcome = await providerFor(`smtp://127.0.0.1:${server.port}?requireTLS=true`).send(
      message('a@firm.example'),
      key,
    );
    expect(outcome).toMatchObject({ sent: false, permanent: false });
    expect(server.received).toEqual([]);
  });

  it('logs in with the URL’s credentials, with the AUTH method the URL names, and fails for a retry when they are wrong', async () => {
    const authMethods: string[] = [];
    server = await startServer({
      authOptional: false,
      authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
      onAuth(auth, _session, callback) {
        authMethods.push(auth.method);
        const ok =
          auth.username === 'cairn' &&
          (auth.method === 'CRAM-MD5'
            ? auth.validatePassword('s3cret p@ss')
            : auth.password === 's3cret p@ss');
        callback(ok ? null : new Error('Invalid credentials'), ok ? { user: 'cairn' } : undefined);
      },
    });
    const url = (password: string, query = '') =>
      `smtp://cairn:${encodeURIComponent(password)}@127.0.0.1:${server!.port}${query}`;
    expect(
      (await providerFor(url('s3cret p@ss'), { allowSelfSigned: true }).send(message('a@firm.example'), key))
        .sent,
    ).toBe(true);
    provider!.close();
    expect(
      (
        await providerFor(url('s3cret p@ss', '?authMethod=CRAM-MD5'), { allowSelfSigned: true }).send(
          message('b@firm.example'),
          key,
        )
      ).sent,
    ).toBe(true);
    provider!.close();
    const wrong = await providerFor(url('wrong'), { allowSelfSigned: true }).send(
      message('c@firm.example'),
      key,
    );
    expect(wrong).toMatchObject({ sent: false, permanent: false, error: expect.stringMatching(/^EAUTH/) });
    expect(authMethods).toEqual(['PLAIN', 'CRAM-MD5', 'PLAIN']);
    expect(server.received.map((r) => [r.to, r.user, r.secure])).toEqual([
      ['a@firm.example', 'cairn', true],
      ['b@firm.example', 'cairn', true],
    ]);
  });

  it('adds List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) when the message has an unsubscribe link, else neither', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    providerFor(`smtp://127.0.0.1:${server.port}`);
    const url = 'https://cairn.example/email/unsubscribe/abc.def.ghi';
    await provider!.send(message('a@firm.example', { unsubscribeUrl: url }), key);
    await provider!.send(message('b@firm.example'), key);
    const [withLink, without] = await Promise.all(server.received.map((r) => simpleParser(r.raw)));
    const line = (mail: typeof withLink, key: string) => mail.headerLines.find((h) => h.key === key)?.line;
    expect(line(withLink, 'list-unsubscribe')).toBe(`List-Unsubscribe: <${url}>`);
    expect(line(withLink, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(line(without, 'list-unsubscribe')).toBeUndefined();
    expect(line(without, 'list-unsubscribe-post')).toBeUndefined();
  });

  it('signs with DKIM when configured: the signature verifies against the published key and covers the unsubscribe headers', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const published = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    providerFor(`smtp://127.0.0.1:${server.port}`, {
      dkim: {
        domainName: 'cairn.example',
        keySelector: 'mail2026',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    await provider!.send(
      message('a@firm.example', { unsubscribeUrl: 'https://cairn.example/email/unsubscribe/t' }),
      key,
    );
    const lookups: string[] = [];
    const resolver = async (name: string, type: string) => {
      lookups.push(`${type} ${name}`);
      if (type === 'TXT' && name === 'mail2026._domainkey.cairn.example')
        return [[`v=DKIM1; k=rsa; p=${published}`]];
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    };
    const raw = server.received[0].raw;
    const { results } = await dkimVerify(raw, { resolver });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      signingDomain: 'cairn.example',
      selector: 'mail2026',
      status: { result: 'pass' },
    });
    const signed = results[0].signingHeaders!.keys.toLowerCase().split(': ');
    expect(signed).toEqual(
      expect.arrayContaining(['from', 'subject', 'message-id', 'list-unsubscribe', 'list-unsubscribe-post']),
    );
    expect(lookups).toContain('TXT mail2026._domainkey.cairn.example');

    // A changed header no longer verifies: the signature is over what was sent.
    const tampered = Buffer.from(
      raw.toString('latin1').replace('Subject: Hello', 'Subject: Hallo'),
      'latin1',
    );
    expect((await dkimVerify(tampered, { resolver })).results[0].status.result).toBe('fail');
  });

  it('does not sign without DKIM settings', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS'] });
    await providerFor(`smtp://127.0.0.1:${server.port}`).send(message('a@firm.example'), key);
    expect(server.received[0].raw.toString()).not.toMatch(/^DKIM-Signature:/im);
  });
});

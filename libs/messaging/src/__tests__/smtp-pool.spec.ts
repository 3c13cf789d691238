import type { AddressInfo, Socket } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { renderMime } from '../email/mime-message.js';
import { type SmtpEnvelope, type SmtpError, SmtpPool } from '../email/smtp-pool.js';

interface Server {
  url: (credentials?: string) => string;
  received: { to: string[]; subject: string | undefined }[];
  sessions: () => number;
  dropConnections: () => void;
  close: () => Promise<void>;
}

async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<Server> {
  const received: Server['received'] = [];
  const sockets = new Set<Socket>();
  let sessions = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      sessions += 1;
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused'))
        return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject });
        callback();
      }, callback);
    },
    ...options,
  });
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: (credentials) => `smtp://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}`,
    received,
    sessions: () => sessions,
    dropConnections: () => sockets.forEach((s) => s.destroy()),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const mail = (to: string, subject = `Hello ${to}`): [SmtpEnvelope, Buffer] => [
  { from: 'no-reply@cairn.example', to: [to] },
  renderMime({
    from: { name: 'Cairn', address: 'no-reply@cairn.example' },
    to: { name: '', address: to },
    subject,
    text: 'Hi',
    messageId: `<${to}>`,
  }),
];

const poolFor = (url: string, overrides: { maxConnections?: number; maxMessages?: number } = {}) =>
  new SmtpPool({
    url,
    maxConnections: overrides.maxConnections ?? 3,
    maxMessages: overrides.maxMessages ?? 100,
    idleMs: 5_000,
    connection: { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 30_000 },
  });

describe('SmtpPool', () => {
  let server: Server;
  let pool: SmtpPool | undefined;
  afterEach(async () => {
    pool?.close();
    pool = undefined;
    await server?.close();
  });

  it('sends many messages over at most maxConnections reused connections', async () => {
    server = await startServer();
    pool = poolFor(server.url(), { maxConnections: 3 });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => pool!.send(...mail(`c${i}@firm.example`))),
    );
    expect(answers.every((a) => a.startsWith('250'))).toBe(true);
    expect(server.received.map((r) => r.to[0]).sort()).toEqual(
      Array.from({ length: 30 }, (_, i) => `c${i}@firm.example`).sort(),
    );
    expect(server.received.find((r) => r.to[0] === 'c7@firm.example')?.subject).toBe('Hello c7@firm.example');
    expect(server.sessions()).toBeLessThanOrEqual(3);
  });

  it('logs in with the URL’s credentials, and fails the send when they are wrong', async () => {
    server = await startServer({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'cairn' && auth.password === 's3cret') return callback(null, { user: 'cairn' });
        callback(new Error('Invalid credentials'));
      },
    });
    pool = poolFor(server.url('cairn:s3cret'));
    await expect(pool.send(...mail('a@firm.example'))).resolves.toMatch(/^250/);
    pool.close();
    pool = poolFor(server.url('cairn:wrong'));
    await expect(pool.send(...mail('b@firm.example'))).rejects.toMatchObject({ code: 'EAUTH' });
    expect(server.received.map((r) => r.to[0])).toEqual(['a@firm.example']);
  });

  it('fails a refused recipient with the server’s answer and keeps using the connection', async () => {
    server = await startServer();
    pool = poolFor(server.url(), { maxConnections: 1 });
    const refused = pool.send(...mail('refused@firm.example'));
    const next = pool.send(...mail('ok@firm.example'));
    await expect(refused).rejects.toMatchObject({
      command: 'RCPT TO',
      responseCode: 550,
    } satisfies Partial<SmtpError>);
    await expect(next).resolves.toMatch(/^250/);
    expect(server.sessions()).toBe(1);
  });

  it('replaces a connection the server dropped while it was idle, without losing the message', async () => {
    server = await startServer();
    pool = poolFor(server.url(), { maxConnections: 1 });
    await pool.send(...mail('first@firm.example'));
    server.dropConnections();
    await expect(pool.send(...mail('second@firm.example'))).resolves.toMatch(/^250/);
    expect(server.received.map((r) => r.to[0])).toEqual(['first@firm.example', 'second@firm.example']);
    expect(server.sessions()).toBe(2);
  });

  it('opens a new connection after maxMessages', async () => {
    server = await startServer();
    pool = poolFor(server.url(), { maxConnections: 1, maxMessages: 2 });
    for (const to of ['a', 'b', 'c', 'd', 'e']) await pool.send(...mail(`${to}@firm.example`));
    expect(server.received).toHaveLength(5);
    expect(server.sessions()).toBe(3);
  });

  it('fails every waiting send with the connection error when the server is down', async () => {
    server = await startServer();
    const url = server.url();
    await server.close();
    pool = poolFor(url, { maxConnections: 2 });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, (_, i) => pool!.send(...mail(`c${i}@firm.example`))),
    );
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'ESOCKET',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    server = await startServer();
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import net, { type AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { dataBlock, SmtpClient, type SmtpClientOptions, type SmtpError } from '../email/smtp-client.js';
import { SmtpPool } from '../email/smtp-pool.js';

interface Received {
  from: string;
  to: string[];
  /** The message as the server un-stuffed it, terminator removed. */
  raw: string;
  secure: boolean;
  user?: string;
}

interface Server {
  port: number;
  received: Received[];
  commands: string[];
  close: () => Promise<void>;
}

async function startServer(options: Partial<SMTPServerOptions> = {}): Promise<Server> {
  const received: Received[] = [];
  const commands: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(address, _session, callback) {
      commands.push(
        `MAIL ${address.address}${Object.keys(address.args || {}).length ? ` ${JSON.stringify(address.args)}` : ''}`,
      );
      if (address.address.startsWith('blocked'))
        return callback(Object.assign(new Error('Sender blocked'), { responseCode: 550 }));
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refused'))
        return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('latin1');
        if (raw.includes('Subject: spam'))
          return callback(Object.assign(new Error('Looks like spam'), { responseCode: 554 }));
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          secure: session.secure,
          user: session.user as string | undefined,
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    commands,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Listens on a free port; close() ends the sessions still open rather than waiting for them. */
async function listening(server: net.Server, received: Received[], commands: string[]): Promise<Server> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    commands,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A CHUNKING server as Postfix is one (smtp-server has no BDAT): PIPELINING, CHUNKING; `blocked…` senders and
 * `refused…` recipients are refused, a message with `Subject: spam` is refused after its chunk.
 */
async function startChunkingServer(): Promise<Server> {
  const received: Received[] = [];
  const commands: string[] = [];
  const server = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let chunk = 0;
    let from = '';
    let to: string[] = [];
    let mailOk = false;
    socket.write('220 chunky ESMTP\r\n');
    socket.on('data', (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      let replies = '';
      for (;;) {
        if (chunk > 0) {
          if (buffer.length < chunk) break;
          const raw = buffer.subarray(0, chunk).toString('latin1');
          buffer = buffer.subarray(chunk);
          chunk = 0;
          if (!mailOk || to.length === 0) replies += '503 5.5.1 No valid recipients\r\n';
          else if (raw.includes('Subject: spam')) replies += '554 5.7.1 Looks like spam\r\n';
          else {
            received.push({ from, to, raw, secure: false });
            replies += '250 2.0.0 Queued as ABC\r\n';
          }
          mailOk = false;
          to = [];
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) break;
        const line = buffer.subarray(0, eol).toString('latin1');
        buffer = buffer.subarray(eol + 2);
        commands.push(line);
        const [verb, ...args] = line.split(' ');
        const address = /<(.*)>/.exec(line)?.[1] ?? '';
        if (verb === 'EHLO') replies += '250-chunky\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 CHUNKING\r\n';
        else if (verb === 'MAIL') {
          mailOk = !address.startsWith('blocked');
          from = address;
          replies += mailOk ? '250 2.1.0 Ok\r\n' : '550 5.1.0 Sender blocked\r\n';
        } else if (verb === 'RCPT') {
          const ok = mailOk && !address.startsWith('refused');
          if (ok) to.push(address);
          replies += ok ? '250 2.1.5 Ok\r\n' : '550 5.1.1 No such user\r\n';
        } else if (verb === 'BDAT') chunk = Number(args[0]);
        else if (verb === 'RSET') {
          mailOk = false;
          to = [];
          replies += '250 2.0.0 Ok\r\n';
        } else if (verb === 'QUIT') {
          socket.end('221 2.0.0 Bye\r\n');
          return;
        } else replies += '502 5.5.2 Not here\r\n';
      }
      if (replies) socket.write(replies);
    });
    socket.on('error', () => undefined);
  });
  return listening(server, received, commands);
}

/**
 * A server that answers each line as `answer` says (a string written back, or null for nothing); lines after
 * DATA's 354 up to the lone dot are collected as the message and answered by `answer('.')`.
 */
async function scriptedServer(answer: (line: string, socket: net.Socket) => string | null): Promise<Server> {
  const received: Received[] = [];
  const commands: string[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    let buffer = '';
    let data: string[] | undefined;
    socket.setEncoding('latin1');
    const greeting = answer('', socket);
    if (greeting) socket.write(greeting);
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let eol = buffer.indexOf('\r\n'); eol >= 0; eol = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        if (data && line !== '.') {
          data.push(line);
          continue;
        }
        if (data) {
          received.push({ from: '', to: [], raw: data.join('\r\n'), secure: false });
          data = undefined;
        } else commands.push(line);
        const reply = answer(line, socket);
        if (reply?.startsWith('354')) data = [];
        if (reply) socket.write(reply);
      }
    });
  });
  return listening(server, received, commands);
}

// Generous: a local server answers at once, but a busy CI machine may take seconds to get round to it.
const timeouts = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 30_000 };
const envelope = (to = 'a@firm.example', from = 'no-reply@cairn.example') => ({ from, to: [to] });
const MESSAGE = Buffer.from('Subject: Hello\r\n\r\nHi there\r\n', 'latin1');

describe('SmtpClient', () => {
  let server: Server | undefined;
  let client: SmtpClient | undefined;
  const connect = async (options: Partial<SmtpClientOptions> = {}) => {
    client = new SmtpClient({ host: '127.0.0.1', port: server!.port, ...timeouts, ...options });
    await client.connect();
    return client;
  };
  afterEach(async () => {
    client?.close();
    client = undefined;
    await server?.close();
    server = undefined;
  });

  it('sends over a pipelining server and over one without, the same message', async () => {
    for (const hidePIPELINING of [false, true]) {
      server = await startServer({ hidePIPELINING });
      const session = await connect();
      expect(session.pipelining).toBe(!hidePIPELINING);
      await expect(session.send(envelope(), MESSAGE)).resolves.toMatch(/^250 /);
      await expect(session.send(envelope('b@firm.example'), MESSAGE)).resolves.toMatch(/^250 /);
      expect(server.received.map((r) => [r.from, r.to])).toEqual([
        ['no-reply@cairn.example', ['a@firm.example']],
        ['no-reply@cairn.example', ['b@firm.example']],
      ]);
      expect(server.received[0].raw).toBe('Subject: Hello\r\n\r\nHi there\r\n');
      client!.close();
      await server.close();
    }
    server = undefined;
  });

  it('sends the envelope and the message as one BDAT chunk where the server offers CHUNKING', async () => {
    server = await startChunkingServer();
    const session = await connect();
    const tricky = Buffer.from('Subject: Dots\r\n\r\n.leading dot\r\nbare\nLF\r\n.\r\nlast', 'latin1');
    await expect(session.send(envelope(), tricky)).resolves.toBe('250 2.0.0 Queued as ABC');
    // No dot-stuffing in a chunk; bare line ends still become CRLF.
    expect(server.received[0]).toMatchObject({
      from: 'no-reply@cairn.example',
      to: ['a@firm.example'],
      raw: 'Subject: Dots\r\n\r\n.leading dot\r\nbare\r\nLF\r\n.\r\nlast',
    });
    expect(server.commands).toContain(`BDAT ${server.received[0].raw.length} LAST`);
    expect(server.commands).not.toContain('DATA');

    await expect(session.send(envelope('refused@firm.example'), MESSAGE)).rejects.toMatchObject({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      responseCode: 550,
    } satisfies Partial<SmtpError>);
    await session.reset();
    await expect(
      session.send(envelope('a@firm.example', 'blocked@cairn.example'), MESSAGE),
    ).rejects.toMatchObject({
      code: 'EENVELOPE',
      command: 'MAIL FROM',
      responseCode: 550,
    } satisfies Partial<SmtpError>);
    await session.reset();
    await expect(session.send(envelope(), Buffer.from('Subject: spam\r\n\r\nx\r\n'))).rejects.toMatchObject({
      code: 'EMESSAGE',
      command: 'DATA',
      responseCode: 554,
    } satisfies Partial<SmtpError>);
    // The refused chunks were read in step: the session still sends.
    await expect(session.send(envelope('b@firm.example'), MESSAGE)).resolves.toMatch(/^250/);
    expect(server.received.map((r) => r.to)).toEqual([['a@firm.example'], ['b@firm.example']]);
  });

  it('dot-stuffs and normalises line ends, so the message arrives as written and cannot end early', async () => {
    server = await startServer();
    const session = await connect();
    const tricky = Buffer.from(
      'Subject: Dots\r\n\r\n.leading dot\r\nbare\nLF\rbare CR\r.\r\nlast line',
      'latin1',
    );
    await session.send(envelope(), tricky);
    expect(server.received[0].raw).toBe(
      'Subject: Dots\r\n\r\n.leading dot\r\nbare\r\nLF\r\nbare CR\r\n.\r\nlast line\r\n',
    );
    expect(dataBlock(Buffer.from('.a\r\n..b\r\n')).toString()).toBe('..a\r\n...b\r\n.\r\n');
    expect(dataBlock(Buffer.from('x')).toString()).toBe('x\r\n.\r\n');
  });

  it('fails a refused sender or recipient with the server’s answer and sends again after reset', async () => {
    server = await startServer();
    const session = await connect();
    await expect(
      session.send(envelope('a@firm.example', 'blocked@cairn.example'), MESSAGE),
    ).rejects.toMatchObject({
      code: 'EENVELOPE',
      command: 'MAIL FROM',
      responseCode: 550,
    } satisfies Partial<SmtpError>);
    await session.reset();
    await expect(session.send(envelope('refused@firm.example'), MESSAGE)).rejects.toMatchObject({
      code: 'EENVELOPE',
      command: 'RCPT TO',
      responseCode: 550,
    } satisfies Partial<SmtpError>);
    await session.reset();
    await expect(session.send(envelope('ok@firm.example'), MESSAGE)).resolves.toMatch(/^250/);
    expect(server.received.map((r) => r.to)).toEqual([['ok@firm.example']]);
  });

  it('fails a message refused at the end of DATA as EMESSAGE', async () => {
    server = await startServer();
    const session = await connect();
    await expect(session.send(envelope(), Buffer.from('Subject: spam\r\n\r\nx\r\n'))).rejects.toMatchObject({
      code: 'EMESSAGE',
      command: 'DATA',
      responseCode: 554,
    } satisfies Partial<SmtpError>);
    await expect(session.send(envelope(), MESSAGE)).resolves.toMatch(/^250/);
  });

  it('upgrades with STARTTLS when offered, and refuses to go on in the clear when TLS is required', async () => {
    server = await startServer({ disabledCommands: [] });
    const session = await connect({ tls: { rejectUnauthorized: false } });
    expect(session.secure).toBe(true);
    await session.send(envelope(), MESSAGE);
    expect(server.received[0].secure).toBe(true);
    client!.close();
    await server.close();

    server = await startServer();
    await expect(connect({ requireTLS: true })).rejects.toMatchObject({ code: 'ETLS' });
    await expect(connect({ ignoreTLS: true })).resolves.toBeDefined();
  });

  it('speaks implicit TLS (smtps)', async () => {
    server = await startServer({ secure: true });
    const session = await connect({ secure: true, tls: { rejectUnauthorized: false } });
    expect(session.secure).toBe(true);
    await session.send(envelope(), MESSAGE);
    expect(server.received[0].secure).toBe(true);
  });

  it('logs in with AUTH PLAIN or AUTH LOGIN, and fails with EAUTH on a wrong password', async () => {
    for (const authMethods of [['PLAIN', 'LOGIN'], ['LOGIN']]) {
      server = await startServer({
        authOptional: false,
        allowInsecureAuth: true,
        authMethods,
        onAuth(auth, _session, callback) {
          if (auth.username === 'cairn' && auth.password === 's3:cret')
            return callback(null, { user: `cairn-${auth.method}` });
          callback(new Error('Invalid credentials'));
        },
      });
      const session = await connect({ auth: { user: 'cairn', pass: 's3:cret' } });
      await session.send(envelope(), MESSAGE);
      expect(server.received[0].user).toBe(`cairn-${authMethods[0]}`);
      client!.close();
      await expect(connect({ auth: { user: 'cairn', pass: 'wrong' } })).rejects.toMatchObject({
        code: 'EAUTH',
      });
      await server.close();
    }
    server = undefined;
  });

  it('asks for SMTPUTF8 for an internationalised address, and refuses one the server cannot take', async () => {
    server = await startServer();
    const session = await connect();
    await session.send(envelope('jürgen@firm.example'), MESSAGE);
    expect(server.received[0].to).toEqual(['jürgen@firm.example']);
    expect(server.commands.at(-1)).toMatch(/SMTPUTF8/);
    client!.close();
    await server.close();

    server = await startServer({ hideSMTPUTF8: true });
    const plain = await connect();
    await expect(plain.send(envelope('jürgen@firm.example'), MESSAGE)).rejects.toMatchObject({
      code: 'EENVELOPE',
    });
    await expect(
      plain.send(envelope('a@firm.example>\r\nRCPT TO:<b@x.example'), MESSAGE),
    ).rejects.toMatchObject({
      code: 'EENVELOPE',
      command: 'API',
    });
    expect(server.received).toHaveLength(0);
  });

  it('times out a server that never greets, and reports a session the server ends', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const mute = new SmtpClient({
      host: '127.0.0.1',
      port: (silent.address() as AddressInfo).port,
      ...timeouts,
      greetingTimeout: 200,
    });
    // The greeting's own timeout, told apart from the connection and socket timeouts by its message.
    await expect(mute.connect()).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'Greeting never received' });
    await new Promise((resolve) => silent.close(resolve));

    // Shutting down, the server answers 421 to its idle sessions (after closeTimeout) and closes them.
    server = await startServer({ closeTimeout: 100 });
    const session = await connect();
    const ended = new Promise<void>((resolve) => session.once('end', () => resolve()));
    await server.close();
    server = undefined;
    await ended;
    await expect(session.send(envelope(), MESSAGE)).rejects.toMatchObject({
      code: 'ECONNECTION',
    });
  });

  it('takes replies that are a bare code, as RFC 5321 allows', async () => {
    const bare: Record<string, string> = {
      '': '220\r\n',
      EHLO: '250\r\n',
      MAIL: '250\r\n',
      RCPT: '250\r\n',
      DATA: '354\r\n',
      '.': '250\r\n',
    };
    server = await scriptedServer((line) => bare[line.split(/[ :]/)[0]] ?? '500\r\n');
    const session = await connect();
    await expect(session.send(envelope(), MESSAGE)).resolves.toMatch(/^250/);
    expect(server.received[0].raw).toBe('Subject: Hello\r\n\r\nHi there');
  });

  it('refuses what a server sent in the clear after accepting STARTTLS (response injection)', async () => {
    server = await scriptedServer((line) => {
      if (line === '') return '220 mx ESMTP\r\n';
      if (line.startsWith('EHLO')) return '250-mx\r\n250 STARTTLS\r\n';
      if (line === 'STARTTLS') return '220 Go ahead\r\n250-INJECTED\r\n250 CHUNKING\r\n';
      return '500 What\r\n';
    });
    await expect(connect({ tls: { rejectUnauthorized: false } })).rejects.toMatchObject({
      code: 'ETLS',
      command: 'STARTTLS',
    });
  });

  it('drops a session that answers what it was not asked', async () => {
    server = await scriptedServer((line) => {
      if (line === '') return '220 mx ESMTP\r\n';
      if (line.startsWith('EHLO')) return '250 mx\r\n250 surprise\r\n';
      return '250 OK\r\n';
    });
    const session = new SmtpClient({ host: '127.0.0.1', port: server.port, ...timeouts });
    const ended = new Promise<void>((resolve) => session.once('end', () => resolve()));
    client = session;
    await session.connect().catch(() => undefined);
    await ended;
    await expect(session.send(envelope(), MESSAGE)).rejects.toMatchObject({
      code: 'ECONNECTION',
    });
  });

  it('sends no credentials to a server that offers no AUTH (a relay trusting the sender)', async () => {
    server = await startServer({ disabledCommands: ['STARTTLS', 'AUTH'] });
    const session = await connect({ auth: { user: 'cairn', pass: 's3cret' } });
    await session.send(envelope(), MESSAGE);
    expect(server.received[0].user).toBeUndefined();
  });

  it('does not resend at once a message that went out before the session died', async () => {
    let messages = 0;
    server = await scriptedServer((line, socket) => {
      if (line === '') return '220 mx ESMTP\r\n';
      if (line.startsWith('EHLO')) return '250-mx\r\n250 PIPELINING\r\n';
      if (line === 'DATA') return '354 Go\r\n';
      if (line === '.') {
        // The first message is accepted; the second is read and then the connection dies without an answer.
        if (++messages === 1) return '250 Queued\r\n';
        socket.destroy();
        return null;
      }
      return '250 OK\r\n';
    });
    const pool = new SmtpPool({
      url: `smtp://127.0.0.1:${server.port}`,
      maxConnections: 1,
      maxMessages: 10,
      idleMs: 5_000,
      connection: timeouts,
    });
    try {
      await expect(pool.send(envelope(), MESSAGE)).resolves.toMatch(/^250/);
      await expect(pool.send(envelope('b@firm.example'), MESSAGE)).rejects.toMatchObject({
        messageWritten: true,
      });
      expect(server.received).toHaveLength(2);
      expect(server.commands.filter((c) => c.startsWith('RCPT'))).toEqual([
        'RCPT TO:<a@firm.example>',
        'RCPT TO:<b@firm.example>',
      ]);
    } finally {
      pool.close();
    }
  });

  it('finishes the sends in flight when the pool closes, and QUIT never lands in a message', async () => {
    let rcptSeen: () => void = () => undefined;
    const inTransaction = new Promise<void>((resolve) => (rcptSeen = resolve));
    server = await startServer({
      hidePIPELINING: true,
      onRcptTo(_address, _session, callback) {
        rcptSeen();
        setTimeout(() => callback(), 150);
      },
    });
    const pool = new SmtpPool({
      url: `smtp://127.0.0.1:${server.port}`,
      maxConnections: 1,
      maxMessages: 10,
      idleMs: 5_000,
      connection: timeouts,
    });
    const first = pool.send(envelope(), MESSAGE);
    await inTransaction; // in the middle of the send, waiting for the RCPT answer
    pool.close();
    await expect(first).resolves.toMatch(/^250/);
    expect(server.received.map((r) => r.raw)).toEqual(['Subject: Hello\r\n\r\nHi there\r\n']);
    await expect(pool.send(envelope('b@firm.example'), MESSAGE)).rejects.toMatchObject({ code: 'ECLOSED' });
  });
});

import { createHash, randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeResendRequest {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

/** What the fake answers instead of accepting: a status and a body, or `'hang-up'` after reading the request. */
export type FakeResendAnswer = { status: number; body: object } | 'hang-up' | 'accept-then-hang-up' | 'hold';

/**
 * A fake Resend `POST /emails`, deduplicating by Idempotency-Key the way Resend documents it: the same key and
 * body get the first answer again without a second email, the same key with another body a 409
 * `invalid_idempotent_request`, and a key whose first request is still being handled a 409
 * `concurrent_idempotent_requests`. `emails` are the emails it really sent.
 */
export class FakeResend {
  readonly requests: FakeResendRequest[] = [];
  readonly emails: FakeResendRequest[] = [];
  private readonly script: FakeResendAnswer[] = [];
  private readonly keys = new Map<string, { hash: string; answer?: string }>();
  private held?: () => void;
  private heldReceived?: () => void;
  private readonly server: HttpServer;

  constructor(readonly apiKey = 're_test_key') {
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
  answer(...next: FakeResendAnswer[]): void {
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
    const request: FakeResendRequest = {
      headers: req.headers,
      body: JSON.parse(raw) as Record<string, unknown>,
    };
    this.requests.push(request);
    const reply = (status: number, body: object | string): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/emails')
      return reply(404, { statusCode: 404, name: 'not_found', message: 'Not found' });
    if (req.headers.authorization !== `Bearer ${this.apiKey}`)
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

/** A fake Resend listening on 127.0.0.1 (its `url` is RESEND_API_URL), accepting `apiKey`. */
export function startFakeResend(apiKey?: string): Promise<FakeResend> {
  return new FakeResend(apiKey).start();
}

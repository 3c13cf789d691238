import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { ActAsClientDocument, CairnGraphqlError, createCairnClient } from '#cairn/sdk';
import { authenticate, type PartnerUser } from './partner-users.js';

export interface PartnerExampleOptions {
  /** Where Cairn's API is, e.g. http://localhost:3000. */
  apiUrl: string;
  /** The firm's API key (CLIENTS_ACT and the scopes the page needs); it stays in this process. */
  apiKey: string;
  users: PartnerUser[];
  port?: number;
  host?: string;
  /** The repository root: the page's static files and its compiled scripts (`npm run partner-example:page`). */
  root?: string;
}

export interface PartnerExample {
  /** e.g. http://127.0.0.1:4000 */
  url: string;
  close(): Promise<void>;
}

const SESSION_COOKIE = 'partner_session';
const SESSION_MS = 8 * 60 * 60 * 1000;
const MAX_BODY = 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * The partner's backend: its own sign-in, a session cookie, and one Cairn call of its own — minting an
 * actAsClient token for the signed-in person with the API key, which never leaves this process. Cairn sends no
 * CORS headers, so the page reaches it through this origin: `/graphql` (HTTP and graphql-ws) is passed on with
 * the page's bearer token only, never the key, and only for a signed-in partner user.
 */
export async function startPartnerExample(options: PartnerExampleOptions): Promise<PartnerExample> {
  const root = resolve(options.root ?? process.cwd());
  const staticDir = join(root, 'apps/partner-example/public');
  const scriptsDir = join(root, 'dist/partner-example/public');
  const graphqlWsDir = dirname(createRequire(import.meta.url).resolve('graphql-ws/client'));
  const apiGraphql = `${options.apiUrl.replace(/\/$/, '')}/graphql`;
  const apiWs = apiGraphql.replace(/^http/, 'ws');
  const cairn = createCairnClient({ url: apiGraphql, credential: () => ({ apiKey: options.apiKey }) });
  const sessions = new Map<string, { user: PartnerUser; expiresAt: number }>();

  const indexHtml = await readFile(join(staticDir, 'index.html'), 'utf8');
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(indexHtml)?.[1] ?? '';
  // Scripts and styles from this origin only (no CDN); the import map is the one inline script, allowed by hash.
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'sha256-${createHash('sha256').update(importMap).digest('base64')}'`,
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  const sessionOf = (req: IncomingMessage): { user: PartnerUser } | undefined => {
    const id = /(?:^|;\s*)partner_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
    const session = id ? sessions.get(id) : undefined;
    if (!session || session.expiresAt < Date.now()) return undefined;
    return session;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://partner').pathname;
    if (req.method === 'GET' && path === '/') {
      return send(res, 200, indexHtml, CONTENT_TYPES['.html'], { 'content-security-policy': csp });
    }
    if (req.method === 'GET' && path === '/style.css') return sendFile(res, staticDir, 'style.css');
    if (req.method === 'GET' && path.startsWith('/app/'))
      return sendFile(res, scriptsDir, path.slice('/app/'.length), '.js');
    if (req.method === 'GET' && path.startsWith('/vendor/graphql-ws/')) {
      return sendFile(res, graphqlWsDir, path.slice('/vendor/graphql-ws/'.length), '.js');
    }
    if (req.method === 'GET' && path === '/api/me') {
      const session = sessionOf(req);
      return session
        ? json(res, 200, { displayName: session.user.displayName })
        : json(res, 401, { error: 'SIGNED_OUT' });
    }
    if (req.method !== 'POST') return json(res, 404, { error: 'NOT_FOUND' });
    // JSON bodies only: a cross-site form cannot send one without a CORS preflight, which this server never grants.
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      return json(res, 415, { error: 'JSON_ONLY' });
    const body = await readBody(req);
    if (body === undefined) return json(res, 413, { error: 'TOO_LARGE' });

    if (path === '/api/login') {
      const input = parseJson(body) as { username?: unknown; password?: unknown } | undefined;
      const user = authenticate(options.users, input?.username, input?.password);
      if (!user) return json(res, 401, { error: 'UNKNOWN_USER_OR_PASSWORD' });
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { user, expiresAt: Date.now() + SESSION_MS });
      return json(
        res,
        200,
        { displayName: user.displayName },
        {
          'set-cookie': `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}`,
        },
      );
    }
    if (path === '/api/logout') {
      const id = /(?:^|;\s*)partner_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (id) sessions.delete(id);
      return json(
        res,
        200,
        {},
        { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` },
      );
    }

    const session = sessionOf(req);
    if (!session) return json(res, 401, { error: 'SIGNED_OUT' });
    if (path === '/api/cairn-token') {
      // The client id comes from the partner's own user table, never from the page.
      try {
        const { actAsClient } = await cairn.request(ActAsClientDocument, { clientId: session.user.clientId });
        return json(res, 200, actAsClient);
      } catch (error) {
        const code = error instanceof CairnGraphqlError ? (error.code ?? 'CAIRN_ERROR') : 'CAIRN_UNREACHABLE';
        return json(res, 502, { error: code });
      }
    }
    if (path === '/graphql') {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      try {
        const upstream = await fetch(apiGraphql, { method: 'POST', headers, body });
        return send(
          res,
          upstream.status,
          Buffer.from(await upstream.arrayBuffer()),
          upstream.headers.get('content-type') ?? 'application/json',
        );
      } catch {
        return json(res, 502, {
          errors: [{ message: 'Cairn is unreachable', extensions: { code: 'CAIRN_UNREACHABLE' } }],
        });
      }
    }
    return json(res, 404, { error: 'NOT_FOUND' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: 'INTERNAL' });
      else res.destroy();
    });
  });

  // graphql-ws: one upstream socket per page socket, with the page's own connection parameters (its token).
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://partner').pathname !== '/graphql' || !sessionOf(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (page) => {
      const upstream = new WebSocket(apiWs, page.protocol || 'graphql-transport-ws');
      const early: Array<{ data: WebSocket.RawData; binary: boolean }> = [];
      page.on('message', (data, binary) => {
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data, { binary });
        else early.push({ data, binary });
      });
      upstream.on('open', () => {
        for (const m of early.splice(0)) upstream.send(m.data, { binary: m.binary });
      });
      upstream.on('message', (data, binary) => page.send(data, { binary }));
      // Cairn's close codes (4401: token expired, 1001: restarting) reach the page as they are.
      upstream.on('close', (code, reason) => page.close(sendableCode(code), reason.toString()));
      upstream.on('error', () => page.close(1011));
      page.on('close', () => upstream.terminate());
      page.on('error', () => upstream.terminate());
    });
  });

  await new Promise<void>((ok) => server.listen(options.port ?? 4000, options.host ?? '127.0.0.1', ok));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** Codes a WebSocket may send in a close frame; anything else (1005, 1006: none given, dropped) becomes 1011. */
function sendableCode(code: number): number {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)
    ? code
    : 1011;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        ok(undefined);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, JSON.stringify(body), 'application/json', headers);
}

/** A file below `dir` with an allowed extension, or 404 (no directory listing, no way out of `dir`). */
async function sendFile(res: ServerResponse, dir: string, relative: string, onlyExt?: string): Promise<void> {
  const file = resolve(dir, relative);
  const ext = extname(file);
  if (!file.startsWith(dir + sep) || (onlyExt && ext !== onlyExt) || !CONTENT_TYPES[ext])
    return json(res, 404, { error: 'NOT_FOUND' });
  try {
    send(res, 200, await readFile(file), CONTENT_TYPES[ext]);
  } catch {
    json(res, 404, { error: 'NOT_FOUND' });
  }
}

import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

/** API and worker pools together must stay below this; the launcher gives each DATABASE_POOL_MAX=4. */
export const EMBEDDED_MAX_CONNECTIONS = 16;

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM (PGlite) behind a local socket, for a newcomer with no database installed.
 * PGlite has a single backend; the socket server multiplexes connections onto it and, while a transaction is
 * open, serves only the connection that opened it, so transactions never interleave. Our per-transaction
 * settings are all SET LOCAL, so nothing leaks between connections. Fine for trying Cairn, not production.
 */
export async function startEmbeddedPostgres(dataDir: string | undefined, port = 0): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://');
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: EMBEDDED_MAX_CONNECTIONS });
  await server.start();
  // The server's own listener knows the OS-assigned port when 0 was asked for.
  const address = (server as unknown as { server?: { address(): AddressInfo } }).server?.address();
  const actualPort = address?.port ?? port;
  return {
    url: `postgres://postgres@127.0.0.1:${actualPort}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

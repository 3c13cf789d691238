import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM (PGlite) behind a local socket, for a newcomer with no database installed.
 * PGlite has a single session, so clients must use one short-lived connection at a time (the launcher sets
 * DATABASE_POOL_MAX=1); fine for trying Cairn out, not for production.
 */
export async function startEmbeddedPostgres(dataDir: string | undefined, port = 0): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://');
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1' });
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

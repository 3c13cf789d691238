import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ensureBuilt } from './support/index.js';

const SEED = new URL('../dist/tools/seed.js', import.meta.url).pathname;

/** Runs the built seed tool against `url`; resolves with its exit code and output. */
function seed(url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SEED],
      { env: { ...process.env, CAIRN_API_URL: url, SEED_WAIT_SECONDS: '1' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A port nothing listens on: taken from the OS, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run seed when no Cairn API answers', () => {
  let other: Server;
  let otherUrl: string;

  beforeAll(async () => {
    ensureBuilt();
    // Something else on the port: a web page, as a wrong API_PORT would find.
    other = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>'),
    );
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/graphql`;
  });
  afterAll(() => new Promise((resolve) => other?.close(resolve)));

  it('says where it looked and how to start the API, without a stack trace, after the short wait', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    const { code, stdout, stderr } = await seed(url);
    expect(code).toBe(1);
    expect(stdout).toContain(`Waiting for the Cairn API at ${url}`);
    expect(stderr).toContain(`No Cairn API answered at ${url}: start it with \`npm start\``);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('stops at once when the port answers but not with GraphQL', async () => {
    const { code, stdout, stderr } = await seed(otherUrl);
    expect(code).toBe(1);
    expect(stdout).not.toContain('Waiting');
    expect(stderr).toContain(`${otherUrl} answered HTTP 404, not GraphQL`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});

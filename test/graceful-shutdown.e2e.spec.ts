import { describe, expect, it } from '@jest/globals';
import type { Server } from 'node:http';
import { ApiModule } from '#cairn-app/api';
import { testConfig, uniqueSlug } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

const signUp = (port: number, slug: string) =>
  fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation ($input: SignUpFirmInput!) { signUpFirm(input: $input) { user { id } } }`,
      variables: {
        input: {
          firmName: 'Closing Time',
          firmSlug: slug,
          timezone: 'UTC',
          adminName: 'Ada',
          adminEmail: `ada@${slug}.test`,
          adminPassword: 'long-enough-password',
        },
      },
    }),
  }).then((res) => res.json() as Promise<{ data?: { signUpFirm?: { user: { id: string } } } }>);

describe('graceful shutdown of the API', () => {
  it('lets in-flight mutations finish and commit, then refuses new connections', async () => {
    const api = await TestApi.start(ApiModule.forRoot(testConfig()));
    await api.app.listen(0, '127.0.0.1');
    const server = api.app.getHttpServer() as Server;
    const port = (server.address() as { port: number }).port;
    let received = 0;
    server.on('request', () => received++);
    const slugs = Array.from({ length: 4 }, () => uniqueSlug('closing'));
    const inFlight = slugs.map((slug) => signUp(port, slug));
    // Close once all four are being handled (still hashing passwords, before their transactions).
    while (received < slugs.length) await new Promise((resolve) => setTimeout(resolve, 1));
    const closing = api.close();

    const results = await Promise.all(inFlight);
    await closing;
    for (const result of results) expect(result.data?.signUpFirm?.user.id).toEqual(expect.any(String));
    await expect(signUp(port, uniqueSlug('late'))).rejects.toThrow();

    // Committed, not just answered: check with a fresh API.
    const check = await TestApi.start(ApiModule.forRoot(testConfig()));
    try {
      const rows = await check.dataSource.query(`SELECT slug FROM tenants WHERE slug = ANY($1)`, [slugs]);
      expect(rows).toHaveLength(slugs.length);
    } finally {
      await check.close();
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import { CairnGraphqlError, createCairnClient } from '../cairn-client.js';
import { CheckInDocument, OpenCheckInsDocument } from '../generated/graphql.js';

/** A fetch that records what it was sent and answers `status` with `body` (text as is, anything else as JSON). */
function fakeFetch(status: number, body: unknown) {
  const sent: {
    url: string;
    headers: Record<string, string>;
    body: { query: string; variables: unknown };
  }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({
      url,
      headers: init.headers as Record<string, string>,
      body: JSON.parse(init.body as string),
    });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
}

describe('createCairnClient().request', () => {
  it('posts the document and its variables with the bearer token, and resolves with data', async () => {
    const { fetch, sent } = fakeFetch(200, { data: { checkIn: { id: 'c-1' } } });
    const client = createCairnClient({
      url: 'http://api/graphql',
      credential: () => ({ token: 't-1' }),
      fetch,
    });
    const data = await client.request(CheckInDocument, { id: 'c-1' });
    expect(data.checkIn.id).toBe('c-1');
    expect(sent[0].url).toBe('http://api/graphql');
    expect(sent[0].headers.authorization).toBe('Bearer t-1');
    expect(sent[0].headers['x-api-key']).toBeUndefined();
    expect(sent[0].body.query).toContain('query CheckIn($id: ID!)');
    expect(sent[0].body.query).toContain('fragment CheckInFields on CheckIn');
    expect(sent[0].body.variables).toEqual({ id: 'c-1' });
  });

  it('sends an API key as x-api-key, and nothing without a credential', async () => {
    const { fetch, sent } = fakeFetch(200, { data: { checkIns: { edges: [] } } });
    await createCairnClient({
      url: 'http://api/graphql',
      credential: () => ({ apiKey: 'cak_x' }),
      fetch,
    }).request(OpenCheckInsDocument);
    await createCairnClient({ url: 'http://api/graphql', credential: () => null, fetch }).request(
      OpenCheckInsDocument,
    );
    expect(sent.map((s) => [s.headers['x-api-key'], s.headers.authorization])).toEqual([
      ['cak_x', undefined],
      [undefined, undefined],
    ]);
  });

  it('rejects with the first error code and every field the API named', async () => {
    const errors = [
      {
        message: 'Bad answers',
        extensions: { code: 'BAD_USER_INPUT', fields: { 'answers[0].scale': 'must be 1–10' } },
      },
    ];
    const { fetch } = fakeFetch(200, { data: null, errors });
    const error = await createCairnClient({ url: 'http://api/graphql', credential: () => null, fetch })
      .request(CheckInDocument, { id: 'c-1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CairnGraphqlError);
    expect((error as CairnGraphqlError).code).toBe('BAD_USER_INPUT');
    expect((error as CairnGraphqlError).fields).toEqual({ 'answers[0].scale': 'must be 1–10' });
  });

  it('rejects an answer that is not GraphQL with its HTTP status', async () => {
    const { fetch } = fakeFetch(502, '<html>Bad gateway</html>');
    const error = await createCairnClient({ url: 'http://api/graphql', credential: () => null, fetch })
      .request(OpenCheckInsDocument)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CairnGraphqlError);
    expect((error as CairnGraphqlError).status).toBe(502);
    expect((error as CairnGraphqlError).code).toBeUndefined();
  });

  it('on UNAUTHENTICATED, drops the token through onTokenRejected and sends once more with a fresh one', async () => {
    const sent: string[] = [];
    const answers = [
      { data: null, errors: [{ message: 'Token expired', extensions: { code: 'UNAUTHENTICATED' } }] },
      { data: { checkIns: { edges: [] } } },
    ];
    const fetch = (async (_url: string, init: RequestInit) => {
      sent.push((init.headers as Record<string, string>).authorization);
      return new Response(JSON.stringify(answers.shift()), { status: 200 });
    }) as unknown as typeof globalThis.fetch;
    let token = 'stale';
    const client = createCairnClient({
      url: 'http://api/graphql',
      credential: () => ({ token }),
      onTokenRejected: () => (token = 'fresh'),
      fetch,
    });
    expect(await client.request(OpenCheckInsDocument)).toEqual({ checkIns: { edges: [] } });
    expect(sent).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('does not retry without onTokenRejected, nor more than once', async () => {
    const unauthenticated = {
      data: null,
      errors: [{ message: 'No', extensions: { code: 'UNAUTHENTICATED' } }],
    };
    const bare = fakeFetch(200, unauthenticated);
    const error = await createCairnClient({
      url: 'http://api/graphql',
      credential: () => null,
      fetch: bare.fetch,
    })
      .request(OpenCheckInsDocument)
      .catch((e: unknown) => e);
    expect((error as CairnGraphqlError).code).toBe('UNAUTHENTICATED');
    expect(bare.sent).toHaveLength(1);

    const twice = fakeFetch(200, unauthenticated);
    const again = await createCairnClient({
      url: 'http://api/graphql',
      credential: () => ({ token: 't' }),
      onTokenRejected: () => undefined,
      fetch: twice.fetch,
    })
      .request(OpenCheckInsDocument)
      .catch((e: unknown) => e);
    expect((again as CairnGraphqlError).code).toBe('UNAUTHENTICATED');
    expect(twice.sent).toHaveLength(2);
  });
});

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
});

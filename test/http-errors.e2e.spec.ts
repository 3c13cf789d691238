import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { ApiModule } from '#cairn-app/api';
import { testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

/** Every HTTP-level refusal: JSON in the GraphQL error shape, the right status, no HTML, no stack or path. */
function expectJsonError(res: Response, status: number, code: string) {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
    status,
    type: expect.stringMatching(/^application\/json/),
  });
  expect(res.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code } }] });
  expect(res.text).not.toMatch(/<html|<pre|\bat \S+ \(|\/node_modules\/|\.(?:ts|js):\d+/i);
}

// Express picks its error page (a stack in development, a bare page in production) from the environment of
// the process when the app is created, so each is booted under its own.
describe.each(['development', 'production'] as const)('non-GraphQL HTTP errors, NODE_ENV=%s', (nodeEnv) => {
  let api: TestApi;
  const previousEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    process.env.NODE_ENV = nodeEnv;
    api = await TestApi.start(ApiModule.forRoot(testConfig({ NODE_ENV: nodeEnv })));
  });
  afterAll(async () => {
    process.env.NODE_ENV = previousEnv;
    await api.close();
  });

  const postGraphql = () => api.http.post('/graphql').set('content-type', 'application/json');

  it('malformed JSON is 400 BAD_REQUEST', async () => {
    expectJsonError(await postGraphql().send('{"query": "{ __typename }"'), 400, 'BAD_REQUEST');
    // Control: the same request, well-formed.
    expect((await postGraphql().send('{"query": "{ __typename }"}')).body).toEqual({
      data: { __typename: 'Query' },
    });
  });

  it('a subscription over HTTP is 400 BAD_REQUEST, pointing at WebSocket (it was a 500)', async () => {
    const res = await postGraphql().send({ query: 'subscription { notificationAdded { id } }' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('over WebSocket'),
        extensions: { code: 'BAD_REQUEST' },
      }),
    ]);
  });

  it('a body over the size limit is 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(200_000) } });
    expectJsonError(await postGraphql().send(huge), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('an unknown route is 404 NOT_FOUND, whatever the method', async () => {
    expectJsonError(await api.http.get('/no/such/route'), 404, 'NOT_FOUND');
    expectJsonError(await api.http.post('/health/live'), 404, 'NOT_FOUND');
  });

  it('a bad percent-encoding in a path parameter is 400 BAD_REQUEST', async () => {
    expectJsonError(await api.http.get('/calendar/%E0%A4%A.ics'), 400, 'BAD_REQUEST');
  });

  it('a method GraphQL over HTTP does not use is 405 METHOD_NOT_ALLOWED', async () => {
    expectJsonError(
      await api.http.put('/graphql').send({ query: '{ __typename }' }),
      405,
      'METHOD_NOT_ALLOWED',
    );
    expectJsonError(await api.http.delete('/graphql'), 405, 'METHOD_NOT_ALLOWED');
  });

  it('a body that is not JSON is 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const asText = api.http.post('/graphql').set('content-type', 'text/plain').send('{ __typename }');
    expectJsonError(await asText, 415, 'UNSUPPORTED_MEDIA_TYPE');
    const asForm = api.http.post('/graphql').type('form').send({ query: '{ __typename }' });
    expectJsonError(await asForm, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('other routes keep their own formats for successes', async () => {
    const live = await api.http.get('/health/live');
    expect({ status: live.status, body: live.body }).toEqual({ status: 200, body: { status: 'ok' } });
    const metrics = await api.http.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
  });
});

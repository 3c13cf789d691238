import { describe, expect, it } from '@jest/globals';
import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { bearerExpiry, graphqlWsOptions, wsRequest } from '../graphql-ws.options.js';
import { formatError } from '../graphql-api.module.js';

const limits = { maxDepth: 10, maxComplexity: 100 };

describe('wsRequest', () => {
  it('carries only the credential from connectionParams, never tenant or user hints', () => {
    expect(
      wsRequest({
        authorization: 'Bearer abc',
        tenantId: 'spoofed',
        'x-tenant-id': 'spoofed',
        userId: 'spoofed',
        headers: { 'x-tenant-id': 'spoofed' },
      }),
    ).toEqual({ headers: { authorization: 'Bearer abc' } });
    expect(wsRequest({ 'x-api-key': 'cairn_key' })).toEqual({ headers: { 'x-api-key': 'cairn_key' } });
    expect(wsRequest({ Authorization: 'Bearer abc' })).toEqual({ headers: { authorization: 'Bearer abc' } });
    expect(wsRequest({ authorization: 42 })).toEqual({ headers: {} });
    expect(wsRequest(undefined)).toEqual({ headers: {} });
  });
});

describe('bearerExpiry', () => {
  const token = (payload: unknown) =>
    `Bearer h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

  it('reads exp (seconds) as milliseconds', () => {
    expect(bearerExpiry(token({ exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
  });

  it.each([
    undefined,
    '',
    'Basic abc',
    'Bearer not-a-jwt',
    token({ sub: 'x' }),
    token({ exp: 'soon' }),
    'Bearer a.!!!.c',
  ])('is undefined for %s', (authorization) => {
    expect(bearerExpiry(authorization)).toBeUndefined();
  });
});

describe('validation errors over graphql-ws', () => {
  const schema = buildSchema('type Query { a: Int } type Subscription { notificationAdded: Int }');
  const errors = validate(schema, parse('subscription { notificationAdde }'));
  const onError = (hideSchemaDetails: boolean) =>
    (graphqlWsOptions({ limits, formatError, hideSchemaDetails }) as ServerOptions).onError as (
      ...args: unknown[]
    ) => { message: string; extensions?: { code?: string } }[];

  it('get the code Apollo gives them over HTTP', () => {
    const [formatted] = onError(false)({}, '1', {}, errors);
    expect(formatted.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(formatted.message).toMatch(/Did you mean "notificationAdded"\?$/);
  });

  it('reveal no schema through suggestions when schema details are hidden (production)', () => {
    const [formatted] = onError(true)({}, '1', {}, errors);
    expect(formatted).toMatchObject({
      message: 'Cannot query field "notificationAdde" on type "Subscription".',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });

  it('an error without a known code from a running subscription becomes a generic one', () => {
    const failure = new GraphQLError('connection to db-internal:5432 refused', {
      originalError: new Error('connection to db-internal:5432 refused'),
    });
    expect(onError(true)({}, '1', {}, [failure])).toEqual([
      { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
  });
});

import { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { migrateDatabase } from '#cairn/shared/database';
import { closeGracefully, configureHttpApp } from '#cairn/shared/observability';
import { MIGRATIONS } from '#cairn-app/api';
import { TEST_DATABASE_URL } from './test-env.js';

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: string[] }>;
}

export interface Credentials {
  token?: string;
  apiKey?: string;
}

/** What fixtures need of an API: GraphQL over HTTP, in this process (TestApi) or another (RemoteApi). */
export interface GraphqlApi {
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, credentials?: Credentials): Promise<GqlResult<T>>;
  ok<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, credentials?: Credentials): Promise<T>;
}

/** Fails with the server's errors when there are any. */
async function okOf<T>(result: Promise<GqlResult<T>>): Promise<T> {
  const { errors, data } = await result;
  if (errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(errors)}`);
  return data as T;
}

/** A real API (real PostgreSQL, real Redis) on an ephemeral port, driven over HTTP like a partner would. */
export class TestApi implements GraphqlApi {
  private constructor(readonly app: INestApplication) {}

  static async start(root: DynamicModule): Promise<TestApi> {
    await ensureMigrated();
    const moduleRef = await Test.createTestingModule({ imports: [root] }).compile();
    const app = configureHttpApp(moduleRef.createNestApplication({ bufferLogs: false, logger: false }));
    await app.init();
    return new TestApi(app);
  }

  get http() {
    return request(this.app.getHttpServer());
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    credentials: Credentials = {},
  ): Promise<GqlResult<T>> {
    let req = this.http.post('/graphql').set('content-type', 'application/json');
    if (credentials.token) req = req.set('authorization', `Bearer ${credentials.token}`);
    if (credentials.apiKey) req = req.set('x-api-key', credentials.apiKey);
    const res = await req.send({ query, variables });
    return { status: res.status, data: res.body.data, errors: res.body.errors };
  }

  /** Fails the test with the server's errors when there are any. */
  ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, credentials: Credentials = {}): Promise<T> {
    return okOf(this.gql<T>(query, variables, credentials));
  }

  /** The same drain-then-close as production. */
  async close(): Promise<void> {
    await closeGracefully(this.app);
  }
}

/** An API running as a process of its own at `baseUrl` (`http://host:port`). */
export class RemoteApi implements GraphqlApi {
  constructor(readonly baseUrl: string) {}

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    credentials: Credentials = {},
  ): Promise<GqlResult<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (credentials.token) headers.authorization = `Bearer ${credentials.token}`;
    if (credentials.apiKey) headers['x-api-key'] = credentials.apiKey;
    const res = await fetch(`${this.baseUrl}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as Pick<GqlResult<T>, 'data' | 'errors'>;
    return { status: res.status, data: body.data, errors: body.errors };
  }

  ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}, credentials: Credentials = {}): Promise<T> {
    return okOf(this.gql<T>(query, variables, credentials));
  }
}

let migrated: Promise<unknown> | undefined;
/** The first test file of a run migrates the fresh database; the advisory lock serialises the others. */
export function ensureMigrated(): Promise<unknown> {
  migrated ??= migrateDatabase(TEST_DATABASE_URL, MIGRATIONS);
  return migrated;
}

export const uniqueSlug = (prefix = 'firm') => `${prefix}-${randomUUID().slice(0, 8)}`;

/** First error code, for terse assertions: `expect(errorCode(result)).toBe('FORBIDDEN')`. */
export const errorCode = (result: GqlResult) => result.errors?.[0]?.extensions?.code;

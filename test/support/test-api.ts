import { DynamicModule, INestApplication } from '@nestjs/common';
import { jest } from '@jest/globals';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { closeGracefully, configureHttpApp } from '#cairn/shared/observability';
import { type Credentials, type GqlResult, type GraphqlApi, okOf } from '#cairn/shared/testing';
import { ensureMigrated } from './migrations.js';

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
  ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    credentials: Credentials = {},
  ): Promise<T> {
    return okOf(this.gql<T>(query, variables, credentials));
  }

  /** The same drain-then-close as production. */
  async close(): Promise<void> {
    await closeGracefully(this.app);
  }
}

/** How many statements `work` sends through the API's TypeORM query runners (pages of fields must not grow it). */
export async function countStatements(api: TestApi, work: () => Promise<unknown>): Promise<number> {
  const spy = jest.spyOn(Object.getPrototypeOf(api.dataSource.createQueryRunner()), 'query');
  try {
    await work();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

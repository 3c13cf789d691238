import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { ApiModule } from '#cairn-app/api';
import { declaredOperations, renderOperationsTable, withOperationsTable } from '#cairn/shared/auth';
import { testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

describe('operation policies', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
  });
  afterAll(() => api.close());

  it('every query, mutation and subscription of the served schema declares its policy', () => {
    const schema = api.app.get(GraphQLSchemaHost).schema;
    const declared = new Map(declaredOperations().map((op) => [`${op.type}.${op.name}`, op.policy]));
    const served = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap(
      (type) => (type ? Object.keys(type.getFields()).map((name) => `${type.name}.${name}`) : []),
    );
    expect(served.length).toBeGreaterThan(100);
    expect(served.filter((operation) => !declared.get(operation))).toEqual([]);
  });

  it('README.md’s operations table is the one the declarations generate (npm run docs:operations)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(withOperationsTable(readme, renderOperationsTable(declaredOperations()))).toBe(readme);
  });
});

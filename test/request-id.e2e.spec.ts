import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApiModule } from '#cairn-app/api';
import { testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

describe('request ids', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start(ApiModule.forRoot(testConfig()));
  });
  afterAll(() => api.close());

  it('reuses a sane X-Request-Id for correlation', async () => {
    const res = await api.http.get('/health/live').set('x-request-id', 'partner-req-12345678');
    expect(res.headers['x-request-id']).toBe('partner-req-12345678');
  });

  it('replaces a missing or unsafe one with a fresh UUID', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const missing = await api.http.get('/health/live');
    const unsafe = await api.http.get('/health/live').set('x-request-id', 'bad id\twith "quotes"');
    expect(missing.headers['x-request-id']).toMatch(uuid);
    expect(unsafe.headers['x-request-id']).toMatch(uuid);
    expect(unsafe.headers['x-request-id']).not.toBe(missing.headers['x-request-id']);
  });
});

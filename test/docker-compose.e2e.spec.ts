import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ApiModule } from '#cairn-app/api';
import { loadConfig } from '#cairn/shared/config';
import { testConfig } from '#cairn/shared/testing';
import { TestApi } from './support/index.js';

/**
 * docker/docker-compose.yml, checked without Docker: `.ci/run` validates its syntax with `docker-compose config`;
 * this checks what that cannot, that the stack it describes would come up: settings this version accepts,
 * entry points that exist, start order, health checks that point at real endpoints.
 */
const ROOT = join(import.meta.dirname, '..');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  restart?: string;
}
const compose = parse(readFileSync(join(ROOT, 'docker/docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const { services } = compose;
const CAIRN = ['migrate', 'api', 'worker'];

describe('docker/docker-compose.yml', () => {
  it('runs the whole stack: migrations once, API, worker, PostgreSQL, Redis and a mail catcher', () => {
    expect(Object.keys(services).sort()).toEqual([
      'api',
      'mailpit',
      'migrate',
      'postgres',
      'redis',
      'worker',
    ]);
    for (const name of CAIRN) expect(services[name].build?.dockerfile).toBe('docker/Dockerfile');
    expect(services.migrate.restart).toBe('no');
  });

  it.each(CAIRN)('gives %s settings this version of Cairn accepts, in production mode', (name) => {
    const env = services[name].environment ?? {};
    const config = loadConfig(env);
    expect(config.NODE_ENV).toBe('production');
    expect(config.dataEncryptionKey).toHaveLength(32);
    expect(config.emailProvider).toBe('smtp');
    // Every process talks to the services of the stack by their names, not to the host's.
    expect(new URL(env.DATABASE_URL).hostname).toBe('postgres');
    expect(new URL(env.REDIS_URL).hostname).toBe('redis');
    expect(new URL(env.SMTP_URL).hostname).toBe('mailpit');
  });

  it.each(CAIRN)('starts %s from an entry point the build produces', (name) => {
    const [node, entry] = services[name].command ?? [];
    expect(node).toBe('node');
    const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(existsSync(join(ROOT, source))).toBe(true);
  });

  it('starts API and worker only after the migrations succeeded, and after what they use is healthy', () => {
    for (const name of ['api', 'worker']) {
      const after = services[name].depends_on ?? {};
      expect(after.migrate).toEqual({ condition: 'service_completed_successfully' });
      for (const dependency of ['redis', 'mailpit'])
        expect(after[dependency]?.condition).toBe('service_healthy');
    }
    expect(services.migrate.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
    // A condition on a service without a health check would never hold.
    for (const service of Object.values(services))
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {}))
        if (condition === 'service_healthy') expect(services[dependency].healthcheck).toBeDefined();
  });

  it('keeps the host’s files out of the image build', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', '.data', '.git']) expect(ignored).toContain(entry);
  });

  describe('the API health check', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await TestApi.start(ApiModule.forRoot(testConfig()));
    });
    afterAll(() => api?.close());

    it('asks an endpoint the API serves, which answers 200 when the API is ready', async () => {
      const check = services.api.healthcheck?.test.join(' ') ?? '';
      const url = /http:\/\/127\.0\.0\.1:3000(\/[^'"\s]*)/.exec(check);
      expect(url).not.toBeNull();
      const res = await api.http.get(url![1]);
      expect(res.status).toBe(200);
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '#cairn/shared/config';
import { startupUrls } from '../startup-urls.js';

// Not #cairn/shared/testing's testConfig: an app may not depend on the testing lib (Nx tags).
const testConfig = (env: Record<string, string>) =>
  loadConfig({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cairn',
    JWT_SECRET: 'x'.repeat(32),
    DATA_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
    ...env,
  });

describe('startupUrls', () => {
  it('names the explorer where it is served: outside production by default, in production when turned on', () => {
    expect(startupUrls(testConfig({ API_PORT: '3000' }))).toContain(
      'GraphQL http://localhost:3000/graphql · explorer http://localhost:3000/graphql (in a browser) · health',
    );
    expect(startupUrls(testConfig({ NODE_ENV: 'production' }))).not.toContain('explorer');
    expect(startupUrls(testConfig({ NODE_ENV: 'production', GRAPHQL_EXPLORER: 'true' }))).toContain('explorer');
  });

  it('names GraphQL, health and metrics on the public base URL, and no dashboard unless one is mounted', () => {
    const line = startupUrls(
      testConfig({ API_PORT: '3123', PUBLIC_BASE_URL: 'https://api.example.com/', GRAPHQL_EXPLORER: 'false' }),
    );
    expect(line).toBe(
      'Cairn API listening on port 3123: GraphQL https://api.example.com/graphql · health https://api.example.com/health/ready · metrics https://api.example.com/metrics',
    );
  });

  it('adds the queue dashboard when its password mounts it, and says /metrics wants a token when it does', () => {
    const line = startupUrls(
      testConfig({
        API_PORT: '3000',
        QUEUE_DASHBOARD_PASSWORD: 'a-long-enough-password',
        METRICS_TOKEN: 'm'.repeat(32),
      }),
    );
    expect(line).toContain('metrics http://localhost:3000/metrics (bearer METRICS_TOKEN)');
    expect(line).toMatch(/ · queue dashboard http:\/\/localhost:3000\/admin\/queues$/);
  });
});

import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '#cairn/shared/config';
import { startupUrls } from '../startup-urls.js';

/** A configuration as the API would load it from `env` (the two settings it cannot do without, plus these). */
const configWith = (env: Record<string, string>) =>
  loadConfig({
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cairn',
    JWT_SECRET: 'j'.repeat(32),
    ...env,
  });

describe('startupUrls', () => {
  it('names GraphQL, health and metrics on the public base URL, and no dashboard unless one is mounted', () => {
    const line = startupUrls(configWith({ API_PORT: '3123', PUBLIC_BASE_URL: 'https://api.example.com/' }));
    expect(line).toBe(
      'Cairn API listening on port 3123: GraphQL https://api.example.com/graphql · health https://api.example.com/health/ready · metrics https://api.example.com/metrics',
    );
  });

  it('adds the queue dashboard when its password mounts it, and says /metrics wants a token when it does', () => {
    const line = startupUrls(
      configWith({
        API_PORT: '3000',
        QUEUE_DASHBOARD_PASSWORD: 'a-long-enough-password',
        METRICS_TOKEN: 'm'.repeat(32),
      }),
    );
    expect(line).toContain('metrics http://localhost:3000/metrics (bearer METRICS_TOKEN)');
    expect(line).toMatch(/ · queue dashboard http:\/\/localhost:3000\/admin\/queues$/);
  });
});

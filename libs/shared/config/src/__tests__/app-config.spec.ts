import { describe, expect, it } from '@jest/globals';
import { ConfigValidationError, loadConfig } from '../app-config.js';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/cairn',
  JWT_SECRET: 'x'.repeat(32),
};

describe('loadConfig', () => {
  it('applies defaults and coerces numbers and booleans', () => {
    const config = loadConfig({ ...valid, API_PORT: '4100', MIGRATE_ON_START: 'true' });
    expect(config.API_PORT).toBe(4100);
    expect(config.MIGRATE_ON_START).toBe(true);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.NODE_ENV).toBe('development');
  });

  it('names every bad variable in one readable error without echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({ JWT_SECRET: 'short-secret', API_PORT: 'eighty', REDIS_URL: 'http://nope' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL is required but not set');
    expect(message).toContain('JWT_SECRET must be at least 32 characters long');
    expect(message).toContain('API_PORT');
    expect(message).toContain('REDIS_URL must be a redis://');
    expect(message).not.toContain('short-secret');
  });

  it('keeps webhook history 30 days unless WEBHOOK_RETENTION_DAYS says otherwise, within 1 to 3650', () => {
    expect(loadConfig(valid).WEBHOOK_RETENTION_DAYS).toBe(30);
    expect(loadConfig({ ...valid, WEBHOOK_RETENTION_DAYS: '90' }).WEBHOOK_RETENTION_DAYS).toBe(90);
    expect(loadConfig({ ...valid, WEBHOOK_RETENTION_DAYS: '1' }).WEBHOOK_RETENTION_DAYS).toBe(1);
    expect(loadConfig({ ...valid, WEBHOOK_RETENTION_DAYS: '3650' }).WEBHOOK_RETENTION_DAYS).toBe(3650);
    for (const bad of ['0', '3651', '-5', '7.5', 'forever']) {
      expect(() => loadConfig({ ...valid, WEBHOOK_RETENTION_DAYS: bad })).toThrow(/WEBHOOK_RETENTION_DAYS/);
    }
  });

  it('rejects an unknown NODE_ENV', () => {
    expect(() => loadConfig({ ...valid, NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });
});

import { generateKeyPairSync } from 'node:crypto';
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

  it('takes an SMTP_URL with the nodemailer options Cairn allows, and no others (certificate checks are not one)', () => {
    for (const url of [
      'smtp://127.0.0.1:2525',
      'smtps://cairn:p%40ss@mail.example.com:465',
      'smtp://mail.example.com:587/?tls.servername=mail.example.com&name=cairn.example&requireTLS=true',
      'smtp://mail.example.com:587?authMethod=CRAM-MD5&maxConnections=3&rateLimit=50&rateDelta=1000',
    ])
      expect(loadConfig({ ...valid, SMTP_URL: url }).SMTP_URL).toBe(url);
    for (const url of [
      'http://mail.example.com',
      'smtp://mail.example.com/path',
      'smtp://mail.example.com?pool=true',
      'smtp://mail.example.com?tls.rejectUnauthorized=false',
    ])
      expect(() => loadConfig({ ...valid, SMTP_URL: url })).toThrow(
        /SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/,
      );
  });

  it('verifies SMTP certificates unless SMTP_TLS_ALLOW_SELF_SIGNED is on', () => {
    expect(loadConfig(valid).SMTP_TLS_ALLOW_SELF_SIGNED).toBe(false);
    expect(loadConfig({ ...valid, SMTP_TLS_ALLOW_SELF_SIGNED: 'true' }).SMTP_TLS_ALLOW_SELF_SIGNED).toBe(true);
    expect(() => loadConfig({ ...valid, SMTP_TLS_ALLOW_SELF_SIGNED: 'maybe' })).toThrow(/SMTP_TLS_ALLOW_SELF_SIGNED/);
  });

  describe('EMAIL_PROVIDER', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...valid, ...env });
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    };

    it('is SMTP when SMTP_URL is set, Resend when chosen with its key, and none without either', () => {
      expect(loadConfig(valid).emailProvider).toBeUndefined();
      expect(loadConfig({ ...valid, SMTP_URL: 'smtp://127.0.0.1:2525' }).emailProvider).toBe('smtp');
      const resend = loadConfig({ ...valid, EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_123' });
      expect([resend.emailProvider, resend.RESEND_API_KEY, resend.RESEND_API_URL]).toEqual([
        'resend',
        're_123',
        'https://api.resend.com',
      ]);
      expect(
        loadConfig({ ...valid, EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_123', RESEND_API_URL: 'http://127.0.0.1:4010/' })
          .RESEND_API_URL,
      ).toBe('http://127.0.0.1:4010/');
      // SMTP_URL may stay beside EMAIL_PROVIDER=resend (say for switching back); it is not used then.
      expect(
        loadConfig({ ...valid, EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_123', SMTP_URL: 'smtp://127.0.0.1:2525' })
          .emailProvider,
      ).toBe('resend');
    });

    it('names what the chosen provider lacks, and a setting the choice would silently ignore', () => {
      expect(problems({ EMAIL_PROVIDER: 'ses' })).toMatch(/EMAIL_PROVIDER must be smtp or resend/);
      expect(problems({ EMAIL_PROVIDER: 'smtp' })).toMatch(/SMTP_URL is required when EMAIL_PROVIDER=smtp/);
      expect(problems({ EMAIL_PROVIDER: 'resend' })).toMatch(/RESEND_API_KEY is required when EMAIL_PROVIDER=resend/);
      expect(problems({ RESEND_API_KEY: 're_123' })).toMatch(/RESEND_API_KEY is set but EMAIL_PROVIDER is not resend/);
      expect(problems({ SMTP_URL: 'smtp://127.0.0.1:2525', RESEND_API_KEY: 're_123' })).toMatch(
        /RESEND_API_KEY is set but EMAIL_PROVIDER is not resend/,
      );
      expect(problems({ EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_123', DKIM_DOMAIN: 'cairn.localhost' })).toMatch(
        /DKIM_\* settings sign SMTP mail only/,
      );
      expect(problems({ EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're 123 secret' })).toMatch(
        /RESEND_API_KEY must not contain whitespace/,
      );
      expect(problems({ EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're 123 secret' })).not.toContain('secret');
      for (const url of ['api.resend.com', 'ftp://api.resend.com', 'https://api.resend.com/?key=1', 'https://'])
        expect(problems({ EMAIL_PROVIDER: 'resend', RESEND_API_KEY: 're_123', RESEND_API_URL: url })).toMatch(
          /RESEND_API_URL must be an http:\/\/ or https:\/\/ URL/,
        );
    });
  });

  describe('DKIM', () => {
    const rsa = (bits: number) =>
      generateKeyPairSync('rsa', { modulusLength: bits }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pem = rsa(2048);
    const dkim = { MAIL_FROM: 'Summit <coach@mail.summit.example>', DKIM_DOMAIN: 'summit.example', DKIM_SELECTOR: 'cairn1' };

    it('is off without settings, and on with all three; a key written on one line with \\n works', () => {
      expect(loadConfig(valid).dkim).toBeUndefined();
      const config = loadConfig({ ...valid, ...dkim, DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n') });
      expect(config.dkim).toEqual({ domainName: 'summit.example', keySelector: 'cairn1', privateKey: pem });
    });

    it('names what is missing, wrong or misaligned at boot, without echoing the key', () => {
      const problems = (env: Record<string, string>) => {
        try {
          loadConfig({ ...valid, ...env });
        } catch (error) {
          return (error as ConfigValidationError).problems.join('\n');
        }
        return '';
      };
      expect(problems({ DKIM_DOMAIN: 'summit.example' })).toMatch(/DKIM_SELECTOR and DKIM_PRIVATE_KEY must be set too/);
      expect(problems({ ...dkim, DKIM_PRIVATE_KEY: 'not a key' })).toMatch(/DKIM_PRIVATE_KEY must be a PEM private key/);
      const ed25519 = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      expect(problems({ ...dkim, DKIM_PRIVATE_KEY: ed25519 })).toMatch(/DKIM_PRIVATE_KEY must be an RSA key of at least 1024 bits/);
      expect(problems({ ...dkim, DKIM_PRIVATE_KEY: rsa(512) })).toMatch(/DKIM_PRIVATE_KEY must be an RSA key/);
      expect(problems({ ...dkim, DKIM_DOMAIN: 'other.example', DKIM_PRIVATE_KEY: pem })).toMatch(
        /DKIM_DOMAIN must be MAIL_FROM's domain or a parent of it \(mail\.summit\.example\)/,
      );
      expect(problems({ ...dkim, DKIM_SELECTOR: 'bad selector!', DKIM_PRIVATE_KEY: pem })).toMatch(/DKIM_SELECTOR must be a DNS label/);
      expect(problems({ ...dkim, DKIM_PRIVATE_KEY: 'not a key' })).not.toContain('not a key');
    });
  });

  it('rejects an unknown NODE_ENV', () => {
    expect(() => loadConfig({ ...valid, NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('leaves METRICS_TOKEN unset by default and takes one of at least 32 characters', () => {
    expect(loadConfig(valid).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ ...valid, METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
    const token = 'm'.repeat(32);
    expect(loadConfig({ ...valid, METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
  });

  it('rejects a METRICS_TOKEN shorter than 32 characters or with whitespace, without echoing it', () => {
    const short = 'short-metrics-token-31-chars-xx';
    expect(short).toHaveLength(31);
    let error: unknown;
    try {
      loadConfig({ ...valid, METRICS_TOKEN: short });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toContain('METRICS_TOKEN must be at least 32 characters long');
    expect((error as Error).message).not.toContain(short);
    expect(() => loadConfig({ ...valid, METRICS_TOKEN: `${'m'.repeat(20)} ${'m'.repeat(20)}` })).toThrow(
      /METRICS_TOKEN must not contain whitespace/,
    );
  });

  it('leaves QUEUE_DASHBOARD_PASSWORD unset by default and takes one of at least 16 characters', () => {
    expect(loadConfig(valid).QUEUE_DASHBOARD_PASSWORD).toBeUndefined();
    expect(loadConfig({ ...valid, QUEUE_DASHBOARD_PASSWORD: '' }).QUEUE_DASHBOARD_PASSWORD).toBeUndefined();
    const password = 'q'.repeat(16);
    expect(loadConfig({ ...valid, QUEUE_DASHBOARD_PASSWORD: password }).QUEUE_DASHBOARD_PASSWORD).toBe(
      password,
    );
  });

  it('rejects a QUEUE_DASHBOARD_PASSWORD shorter than 16 characters or with whitespace, without echoing it', () => {
    const short = 'short-dashboard';
    expect(short).toHaveLength(15);
    let error: unknown;
    try {
      loadConfig({ ...valid, QUEUE_DASHBOARD_PASSWORD: short });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toContain(
      'QUEUE_DASHBOARD_PASSWORD must be at least 16 characters long',
    );
    expect((error as Error).message).not.toContain(short);
    expect(() =>
      loadConfig({ ...valid, QUEUE_DASHBOARD_PASSWORD: `${'q'.repeat(10)} ${'q'.repeat(10)}` }),
    ).toThrow(/QUEUE_DASHBOARD_PASSWORD must not contain whitespace/);
  });

  it('derives PUBLIC_BASE_URL from API_PORT unless set, and drops a trailing slash', () => {
    expect(loadConfig(valid).publicBaseUrl).toBe('http://localhost:3000');
    expect(loadConfig({ ...valid, API_PORT: '4100' }).publicBaseUrl).toBe('http://localhost:4100');
    for (const [value, expected] of [
      ['https://cairn.example.com', 'https://cairn.example.com'],
      ['https://cairn.example.com/', 'https://cairn.example.com'],
      ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
      ['HTTPS://Cairn.Example.com:8443', 'HTTPS://Cairn.Example.com:8443'],
      ['http://[::1]:3000', 'http://[::1]:3000'],
    ]) {
      expect(loadConfig({ ...valid, PUBLIC_BASE_URL: value }).publicBaseUrl).toBe(expected);
    }
  });

  it('rejects a PUBLIC_BASE_URL that is not http(s) or has a path, query, fragment or credentials', () => {
    for (const bad of [
      'cairn.example.com',
      'ftp://cairn.example.com',
      'https://cairn.example.com/api',
      'https://cairn.example.com?x=1',
      'https://cairn.example.com#top',
      'https://user:secret@cairn.example.com',
      'https://',
      'https://cairn example.com',
    ]) {
      expect(() => loadConfig({ ...valid, PUBLIC_BASE_URL: bad })).toThrow(/PUBLIC_BASE_URL must be an http/);
    }
  });

  it('takes INVITE_URL_PATTERN and CLIENT_URL_PATTERN as http(s) link patterns with their placeholder', () => {
    const config = loadConfig({
      ...valid,
      INVITE_URL_PATTERN: 'https://{firmSlug}.app.example.com/join?token={token}',
      CLIENT_URL_PATTERN: 'https://app.example.com/clients/{clientId}',
    });
    expect(config.INVITE_URL_PATTERN).toBe('https://{firmSlug}.app.example.com/join?token={token}');
    expect(config.CLIENT_URL_PATTERN).toBe('https://app.example.com/clients/{clientId}');
    expect(loadConfig(valid).INVITE_URL_PATTERN).toBeUndefined();
    expect(() => loadConfig({ ...valid, INVITE_URL_PATTERN: 'https://app.example.com/join' })).toThrow(
      /INVITE_URL_PATTERN must contain the placeholder \{token\}/,
    );
    expect(() => loadConfig({ ...valid, CLIENT_URL_PATTERN: 'javascript:go({clientId})' })).toThrow(
      /CLIENT_URL_PATTERN must be an absolute http:\/\/ or https:\/\/ URL/,
    );
  });

  it('runs coach reports unless REPORTS_PAUSED is set to a true value', () => {
    expect(loadConfig(valid).REPORTS_PAUSED).toBe(false);
    expect(loadConfig({ ...valid, REPORTS_PAUSED: '' }).REPORTS_PAUSED).toBe(false);
    for (const on of ['true', '1', 'yes', 'ON'])
      expect(loadConfig({ ...valid, REPORTS_PAUSED: on }).REPORTS_PAUSED).toBe(true);
    for (const off of ['false', '0', 'no', 'off'])
      expect(loadConfig({ ...valid, REPORTS_PAUSED: off }).REPORTS_PAUSED).toBe(false);
  });

  it('rejects a REPORTS_PAUSED that is not a boolean', () => {
    expect(() => loadConfig({ ...valid, REPORTS_PAUSED: 'sometimes' })).toThrow(/REPORTS_PAUSED/);
  });

  it('serves the GraphQL explorer outside production by default, in production only when GRAPHQL_EXPLORER is on', () => {
    const production = { ...valid, NODE_ENV: 'production', DATA_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') };
    expect(loadConfig(valid).graphqlExplorerEnabled).toBe(true);
    expect(loadConfig({ ...valid, NODE_ENV: 'test' }).graphqlExplorerEnabled).toBe(true);
    expect(loadConfig(production).graphqlExplorerEnabled).toBe(false);
    expect(loadConfig({ ...production, GRAPHQL_EXPLORER: 'true' }).graphqlExplorerEnabled).toBe(true);
    expect(loadConfig({ ...valid, GRAPHQL_EXPLORER: 'off' }).graphqlExplorerEnabled).toBe(false);
    // Set but empty counts as unset, like every other variable.
    expect(loadConfig({ ...production, GRAPHQL_EXPLORER: '' }).graphqlExplorerEnabled).toBe(false);
  });

  it('rejects a GRAPHQL_EXPLORER that is not a boolean, naming it', () => {
    expect(() => loadConfig({ ...valid, GRAPHQL_EXPLORER: 'maybe' })).toThrow('GRAPHQL_EXPLORER must be true or false');
  });

  it('talks to a standalone Redis unless REDIS_CLUSTER_NODES names the seed nodes of a cluster', () => {
    expect(loadConfig(valid).redisClusterNodes).toBeUndefined();
    const config = loadConfig({
      ...valid,
      REDIS_CLUSTER_NODES: 'rediss://cairn:p%40ss@10.0.0.1:7000, rediss://cairn:p%40ss@node-2.example:7001/0',
    });
    expect(config.redisClusterNodes?.map((url) => url.host)).toEqual(['10.0.0.1:7000', 'node-2.example:7001']);
    expect(config.redisClusterNodes?.[0].protocol).toBe('rediss:');
  });

  it('names REDIS_CLUSTER_NODES, and never its values, for a bad cluster configuration', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...valid, ...env });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigValidationError);
        expect((error as Error).message).not.toContain('s3cret');
        return (error as ConfigValidationError).problems;
      }
      throw new Error('expected a ConfigValidationError');
    };
    expect(problems({ REDIS_CLUSTER_NODES: 'redis://:s3cret@a:7000', REDIS_URL: 'redis://127.0.0.1:6379' })).toEqual([
      'Set REDIS_URL or REDIS_CLUSTER_NODES, not both',
    ]);
    expect(problems({ REDIS_CLUSTER_NODES: 'redis://:s3cret@a:7000/3' })).toEqual([
      'REDIS_CLUSTER_NODES entry 1 must not name a database or options: Redis Cluster has only database 0',
    ]);
    expect(problems({ REDIS_CLUSTER_NODES: 'redis://a:7000,http://b:7000,s3cret,' })).toEqual([
      'REDIS_CLUSTER_NODES entry 2 must be a redis:// or rediss:// URL (host:port)',
      'REDIS_CLUSTER_NODES entry 3 must be a redis:// or rediss:// URL (host:port)',
      'REDIS_CLUSTER_NODES entry 4 must be a redis:// or rediss:// URL (host:port)',
    ]);
    for (const mixed of ['redis://a:7000,rediss://b:7000', 'redis://:s3cret@a:7000,redis://:other@b:7000'])
      expect(problems({ REDIS_CLUSTER_NODES: mixed })).toEqual([
        'REDIS_CLUSTER_NODES entries must all use the same scheme (redis:// or rediss://) and credentials',
      ]);
  });
});

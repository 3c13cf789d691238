import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createLocalJWKSet, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { Secret, TOTP } from 'otpauth';
import { NestFactory } from '@nestjs/core';
import { ApiModule } from '#cairn-app/api';
import { WorkerModule } from '#cairn-app/worker';
import { jobId, QueueName } from '#cairn/shared/queue';
import { JWT_AUDIENCE, JWT_ISSUER, SecretBox } from '#cairn/shared/auth';
import {
  addUser,
  appQueue,
  errorCode,
  EVENT_WAIT_MS,
  finishedJob,
  startPrivateRedis,
  within,
  FirmFixture,
  ownTestDatabaseUrl,
  signUpFirm,
  TEST_DATA_ENCRYPTION_KEY,
  TEST_JWT_SECRET,
  TEST_PASSWORD,
  testConfig,
  testEnv,
} from '#cairn/shared/testing';
import { freshOwnDatabase, TestApi } from './support/index.js';

// Its own database: the reseal walks every tenant's sealed values, and counts them.
const DATABASE_URL = ownTestDatabaseUrl('key_rotation');
const NEW_DEK = Buffer.alloc(32, 'rotated-key').toString('base64');
const NEW_JWT = 'a-new-jwt-secret-that-is-long-enough-for-hs256';
/** Before: the single keys every suite uses (kid `default`). */
const BEFORE = { DATABASE_URL };
/** During: a new write key first, the old one kept for reading under its id. */
const DURING = {
  DATABASE_URL,
  DATA_ENCRYPTION_KEY: '',
  DATA_ENCRYPTION_KEYS: `k2:${NEW_DEK},default:${TEST_DATA_ENCRYPTION_KEY}`,
  JWT_SECRET: '',
  JWT_SECRETS: `k2:${NEW_JWT},default:${TEST_JWT_SECRET}`,
};
/** After: the old keys removed. */
const AFTER = { DATABASE_URL, DATA_ENCRYPTION_KEY: '', DATA_ENCRYPTION_KEYS: `k2:${NEW_DEK}`, JWT_SECRET: '', JWT_SECRETS: `k2:${NEW_JWT}` };

const ME = `{ me { email } }`;
const CREATE = `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id } } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { accessToken } }`;

/** `npm run keys:reseal` as an operator runs it (the built tool), with `env`. */
async function resealCli(env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['dist/tools/reseal-secrets.js'], {
    env: { ...process.env, ...testEnv(env) },
    timeout: EVENT_WAIT_MS,
  });
  return stdout;
}

describe('rotating DATA_ENCRYPTION_KEYS and JWT secrets without downtime', () => {
  let firm: FirmFixture;
  let endpointId: string;
  let webhookSecret: string;
  let oldToken: string;
  let coachEmail: string;
  let totpSecret: string;

  beforeAll(async () => {
    await freshOwnDatabase(DATABASE_URL);
    const api = await TestApi.start(ApiModule.forRoot(testConfig(BEFORE)));
    try {
      firm = await signUpFirm(api);
      oldToken = firm.admin.accessToken;
      const created = await api.ok<{ createWebhookEndpoint: { secret: string; endpoint: { id: string } } }>(
        CREATE,
        { input: { url: 'https://93.184.215.14/hook', eventTypes: ['GOAL_ACHIEVED'] } },
        { token: oldToken },
      );
      endpointId = created.createWebhookEndpoint.endpoint.id;
      webhookSecret = created.createWebhookEndpoint.secret;
      // A coach with MFA on: a TOTP secret sealed under the old key.
      const coach = await addUser(api, firm, 'COACH');
      coachEmail = coach.user.email;
      const begun = await api.ok<{ beginMfaEnrolment: { secret: string } }>(
        `mutation { beginMfaEnrolment { secret } }`,
        {},
        { token: coach.accessToken },
      );
      totpSecret = begun.beginMfaEnrolment.secret;
      await api.ok(
        `mutation ($code: String!) { confirmMfaEnrolment(input: { code: $code }) { recoveryCodes } }`,
        { code: TOTP.generate({ secret: Secret.fromBase32(totpSecret) }) },
        { token: coach.accessToken },
      );
    } finally {
      await api.close();
    }
  });

  const storedSecret = async (api: TestApi): Promise<string> =>
    (await api.dataSource.query(`SELECT secret FROM webhook_endpoints WHERE id = $1`, [endpointId]))[0].secret;

  it('while both keys are configured: old tokens and sealed values still read, new ones use the new kid', async () => {
    const api = await TestApi.start(ApiModule.forRoot(testConfig(DURING)));
    try {
      expect(await storedSecret(api)).toMatch(/^v2\.default\./);
      expect(api.app.get(SecretBox).open(await storedSecret(api))).toBe(webhookSecret);
      expect((await api.ok<{ me: { email: string } }>(ME, {}, { token: oldToken })).me.email).toBe(firm.admin.user.email);

      const login = await api.ok<{ login: { accessToken: string } }>(LOGIN, {
        input: { firmSlug: firm.slug, email: firm.admin.user.email, password: TEST_PASSWORD },
      });
      const newToken = login.login.accessToken;
      expect(jwt.decode(newToken, { complete: true })!.header.kid).toBe('k2');
      expect(jwt.verify(newToken, NEW_JWT)).toMatchObject({ sub: firm.admin.user.id });
      expect((await api.ok<{ me: { email: string } }>(ME, {}, { token: newToken })).me.email).toBe(firm.admin.user.email);
      const created = await api.ok<{ createWebhookEndpoint: { endpoint: { id: string } } }>(
        CREATE,
        { input: { url: 'https://93.184.215.14/other', eventTypes: ['GOAL_ACHIEVED'] } },
        { token: newToken },
      );
      const [fresh] = await api.dataSource.query(`SELECT secret FROM webhook_endpoints WHERE id = $1`, [
        created.createWebhookEndpoint.endpoint.id,
      ]);
      expect(fresh.secret).toMatch(/^v2\.k2\./);
    } finally {
      await api.close();
    }
  });

  it('keys:reseal moves every value to the write key, once; after the old key is removed everything still opens', async () => {
    expect(await resealCli(DURING)).toMatch(/Re-sealed 2 value\(s\)/);
    // Idempotent: nothing left to move.
    expect(await resealCli(DURING)).toMatch(/Re-sealed 0 value\(s\)/);

    const api = await TestApi.start(ApiModule.forRoot(testConfig(AFTER)));
    try {
      const rows: { secret: string }[] = await api.dataSource.query(`SELECT secret FROM webhook_endpoints`);
      expect(rows.length).toBe(2);
      expect(rows.every((r) => r.secret.startsWith('v2.k2.'))).toBe(true);
      expect(api.app.get(SecretBox).open(await storedSecret(api))).toBe(webhookSecret);
      // No column anywhere keeps a value sealed under the old key: a sealed column missing from SEALED_COLUMNS
      // would keep one here.
      const textColumns: { table_name: string; column_name: string }[] = await api.dataSource.query(
        `SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND data_type = 'text' ORDER BY 1, 2`,
      );
      const underOldKey: string[] = [];
      for (const { table_name, column_name } of textColumns) {
        const [{ n }] = await api.dataSource.query(
          `SELECT count(*)::int AS n FROM "${table_name}" WHERE "${column_name}" LIKE 'v2.default.%' OR "${column_name}" LIKE 'v1.%'`,
        );
        if (n > 0) underOldKey.push(`${table_name}.${column_name}`);
      }
      expect(underOldKey).toEqual([]);
      // The coach's second factor still works: their TOTP secret opens under the new key.
      const first = await api.ok<{ login: { mfaChallengeToken: string } }>(
        `mutation ($input: LoginInput!) { login(input: $input) { mfaChallengeToken } }`,
        { input: { firmSlug: firm.slug, email: coachEmail, password: TEST_PASSWORD } },
      );
      const second = await api.ok<{ completeMfaLogin: { accessToken: string } }>(
        `mutation ($input: CompleteMfaLoginInput!) { completeMfaLogin(input: $input) { accessToken } }`,
        {
          input: {
            challengeToken: first.login.mfaChallengeToken,
            // The step after the enrolment's code, which is spent.
            code: TOTP.generate({ secret: Secret.fromBase32(totpSecret), timestamp: Date.now() + 30_000 }),
          },
        },
      );
      expect(second.completeMfaLogin.accessToken).toBeTruthy();
      // A token signed by the removed key names a kid no longer configured: refused.
      expect(errorCode(await api.gql(ME, {}, { token: oldToken }))).toBe('UNAUTHENTICATED');
    } finally {
      await api.close();
    }
  });

  it('a value sealed under a key nobody configured is reported, left as it is, and fails the CLI', async () => {
    const stranger = new SecretBox(
      testConfig({ DATABASE_URL, DATA_ENCRYPTION_KEY: '', DATA_ENCRYPTION_KEYS: `lost:${Buffer.alloc(32, 9).toString('base64')}` }),
    );
    const api = await TestApi.start(ApiModule.forRoot(testConfig(AFTER)));
    try {
      const lost = stranger.seal('whsec_lost');
      await api.dataSource.query(`UPDATE webhook_endpoints SET previous_secret = $2, previous_secret_expires_at = now() + interval '1 day' WHERE id = $1`, [endpointId, lost]);
      const failure = await resealCli(AFTER).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toMatch(/1 value\(s\) open with no configured key/);
      const [row] = await api.dataSource.query(`SELECT previous_secret FROM webhook_endpoints WHERE id = $1`, [endpointId]);
      expect(row.previous_secret).toBe(lost);
    } finally {
      await api.close();
    }
  });

  it('refuses a token naming an unknown kid, though signed with a configured secret', async () => {
    const api = await TestApi.start(ApiModule.forRoot(testConfig(AFTER)));
    try {
      const forged = jwt.sign({ sub: firm.admin.user.id, tid: firm.tenantId, role: 'ADMIN', typ: 'access' }, NEW_JWT, {
        keyid: 'k3',
        issuer: JWT_ISSUER,
        audience: JWT_AUDIENCE,
        expiresIn: 60,
      });
      expect(errorCode(await api.gql(ME, {}, { token: forged }))).toBe('UNAUTHENTICATED');
    } finally {
      await api.close();
    }
  });

  it('the worker’s keys.reseal-secrets job moves everything to a newer key (a deterministic id runs once)', async () => {
    const redis = await startPrivateRedis();
    const NEXT = {
      ...AFTER,
      REDIS_URL: redis.url,
      DATA_ENCRYPTION_KEYS: `k3:${Buffer.alloc(32, 'third-key').toString('base64')},k2:${NEW_DEK}`,
    };
    const worker = await within(
      'worker boot',
      NestFactory.createApplicationContext(WorkerModule.forRoot(testConfig(NEXT)), { logger: false }),
    );
    const queue = appQueue(QueueName.MAINTENANCE, redis.url);
    try {
      const id = jobId('keys.reseal-secrets', 'test', '1');
      await queue.add('keys.reseal-secrets', {}, { jobId: id });
      await queue.add('keys.reseal-secrets', {}, { jobId: id });
      const job = await finishedJob(queue, id);
      // The sweep the worker scheduled at boot may have moved some first; the value no key opens stays either way.
      expect(job.returnvalue).toMatchObject({ unreadable: 1 });
      expect((await queue.getJobs(['completed'])).filter((j) => j.id === id)).toHaveLength(1);
      const api = await TestApi.start(ApiModule.forRoot(testConfig(NEXT)));
      try {
        const rows: { secret: string }[] = await api.dataSource.query(`SELECT secret FROM webhook_endpoints`);
        expect(rows.every((r) => r.secret.startsWith('v2.k3.'))).toBe(true);
        expect(api.app.get(SecretBox).open(await storedSecret(api))).toBe(webhookSecret);
      } finally {
        await api.close();
      }
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.stop();
    }
  });
});

describe('ES256 access tokens and the JWKS endpoint', () => {
  const pem = () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // One API at a time: passport keeps one 'jwt' strategy per process, the last API's.
  let es: TestApi;

  beforeAll(async () => {
    es = await TestApi.start(
      ApiModule.forRoot(testConfig({ JWT_ALGORITHM: 'ES256', JWT_SIGNING_KEYS: `es-2027:${pem()},es-2026:${pem()}` })),
    );
  });
  afterAll(() => es?.close());

  it('publishes the public keys, and a partner backend verifies an issued token with jose against them', async () => {
    const res = await es.http.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body.keys.map((k: { kid: string }) => k.kid)).toEqual(['es-2027', 'es-2026']);
    expect(JSON.stringify(res.body)).not.toMatch(/"d"/);
    const firm = await signUpFirm(es);
    const { payload, protectedHeader } = await jwtVerify(firm.admin.accessToken, createLocalJWKSet(res.body), {
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'es-2027' });
    expect(payload).toMatchObject({ sub: firm.admin.user.id, tid: firm.tenantId, role: 'ADMIN' });
    expect((await es.ok<{ me: { email: string } }>(ME, {}, { token: firm.admin.accessToken })).me.email).toBe(
      firm.admin.user.email,
    );

    // An HS256 token made with the JWT_SECRET this API also has, naming one of its kids: no algorithm switch.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { exp, iat, ...claims } = jwt.decode(firm.admin.accessToken) as Record<string, unknown>;
    for (const keyid of ['es-2027', 'default']) {
      const hs = jwt.sign(claims, TEST_JWT_SECRET, { keyid, expiresIn: 60 });
      expect(errorCode(await es.gql(ME, {}, { token: hs }))).toBe('UNAUTHENTICATED');
    }
  });
});

describe('HS256 by default', () => {
  it('signs HS256 with kid default and publishes no keys', async () => {
    const hs = await TestApi.start(ApiModule.forRoot(testConfig()));
    try {
      const firm = await signUpFirm(hs);
      expect(jwt.decode(firm.admin.accessToken, { complete: true })!.header).toMatchObject({ alg: 'HS256', kid: 'default' });
      expect((await hs.http.get('/.well-known/jwks.json')).status).toBe(404);
    } finally {
      await hs.close();
    }
  });
});

import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '#cairn/shared/config';
import { SecretBox } from '../secret-box.js';

const config = (env: Record<string, string> = {}) =>
  loadConfig({ DATABASE_URL: 'postgres://x@127.0.0.1/x', JWT_SECRET: 'j'.repeat(32), ...env });
const KEY = Buffer.alloc(32, 7).toString('base64');

describe('SecretBox', () => {
  it('seals a secret so that only the same key opens it, differently every time', () => {
    const box = new SecretBox(config({ DATA_ENCRYPTION_KEY: KEY }));
    const a = box.seal('whsec_abc');
    const b = box.seal('whsec_abc');
    expect(a).toMatch(/^v2\.default\./);
    expect(a).not.toBe(b);
    expect(a).not.toContain('abc');
    expect(box.open(a)).toBe('whsec_abc');
    expect(() =>
      new SecretBox(config({ DATA_ENCRYPTION_KEY: Buffer.alloc(32, 8).toString('base64') })).open(a),
    ).toThrow();
  });

  it('refuses an altered value, and reads one stored before sealing as it is', () => {
    const box = new SecretBox(config({ DATA_ENCRYPTION_KEY: KEY }));
    const sealed = box.seal('whsec_abc');
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`;
    expect(() => box.open(flipped)).toThrow();
    expect(box.open('whsec_plain')).toBe('whsec_plain');
  });

  it('without DATA_ENCRYPTION_KEY derives its key from JWT_SECRET (outside production only)', () => {
    const sealed = new SecretBox(config()).seal('whsec_abc');
    expect(new SecretBox(config()).open(sealed)).toBe('whsec_abc');
    expect(() => new SecretBox(config({ JWT_SECRET: 'k'.repeat(32) })).open(sealed)).toThrow();
    expect(() => config({ NODE_ENV: 'production' })).toThrow(/DATA_ENCRYPTION_KEY is required in production/);
    expect(config({ NODE_ENV: 'production', DATA_ENCRYPTION_KEY: KEY }).isProduction).toBe(true);
    expect(() => config({ DATA_ENCRYPTION_KEY: 'too-short' })).toThrow(
      /DATA_ENCRYPTION_KEY must be 32 bytes/,
    );
  });

  describe('with rotating keys (DATA_ENCRYPTION_KEYS)', () => {
    const OLD = Buffer.alloc(32, 1).toString('base64');
    const NEW = Buffer.alloc(32, 2).toString('base64');
    const before = () => new SecretBox(config({ DATA_ENCRYPTION_KEY: OLD }));
    const during = () => new SecretBox(config({ DATA_ENCRYPTION_KEYS: `k2:${NEW},default:${OLD}` }));
    const after = () => new SecretBox(config({ DATA_ENCRYPTION_KEYS: `k2:${NEW}` }));

    it('seals under the first key and still opens what the others sealed, by kid', () => {
      const old = before().seal('whsec_old');
      const box = during();
      expect(box.open(old)).toBe('whsec_old');
      const fresh = box.seal('whsec_new');
      expect(fresh).toMatch(/^v2\.k2\./);
      expect(box.open(fresh)).toBe('whsec_new');
      // The old key alone does not know k2.
      expect(() => before().open(fresh)).toThrow(/kid k2/);
    });

    it('reseals only what is not under the write key, so the old key can then be removed', () => {
      const box = during();
      const old = before().seal('whsec_old');
      expect(box.needsReseal(old)).toBe(true);
      expect(box.needsReseal('whsec_plain')).toBe(true);
      const moved = box.reseal(old);
      expect(moved).toMatch(/^v2\.k2\./);
      expect(box.needsReseal(moved)).toBe(false);
      expect(box.reseal(moved)).toBe(moved);
      expect(after().open(moved)).toBe('whsec_old');
      expect(() => after().open(old)).toThrow(/kid default/);
    });

    it('opens v1 values (sealed before kids) under whichever configured key sealed them', () => {
      const v1 = sealV1(Buffer.from(OLD, 'base64'), 'whsec_v1');
      expect(during().open(v1)).toBe('whsec_v1');
      expect(during().needsReseal(v1)).toBe(true);
      expect(() => after().open(v1)).toThrow();
    });

    it('refuses a bad key list at start-up, naming the entry, never the key', () => {
      for (const [value, message] of [
        [`k2:${NEW.slice(0, 20)}`, /DATA_ENCRYPTION_KEYS key k2 must be 32 bytes in base64/],
        [NEW, /DATA_ENCRYPTION_KEYS entry 1 must be kid:key/],
        [`k2:${NEW},k2:${OLD}`, /DATA_ENCRYPTION_KEYS names kid k2 twice/],
        [`bad kid!:${NEW}`, /entry 1 must be kid:key/],
      ] as const) {
        let message_ = '';
        try {
          config({ DATA_ENCRYPTION_KEYS: value });
        } catch (error) {
          message_ = (error as Error).message;
        }
        expect(message_).toMatch(message);
        expect(message_).not.toContain(NEW.slice(0, 20));
      }
      expect(() => config({ DATA_ENCRYPTION_KEYS: `k2:${NEW}`, DATA_ENCRYPTION_KEY: OLD })).toThrow(
        /Set DATA_ENCRYPTION_KEY or DATA_ENCRYPTION_KEYS, not both/,
      );
      expect(config({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: `k2:${NEW}` }).isProduction).toBe(true);
    });
  });
});

/** A value as SecretBox sealed it before key ids: `v1.` + base64url(iv | tag | ciphertext). */
function sealV1(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
}

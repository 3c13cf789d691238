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
    expect(a).toMatch(/^v1\./);
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
});

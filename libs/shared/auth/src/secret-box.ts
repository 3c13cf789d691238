import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppConfig, type KeyringEntry } from '#cairn/shared/config';

const V1 = 'v1.';
const V2 = 'v2.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Secrets Cairn must be able to read back (webhook signing secrets, SSO client secrets: they are sent or used as
 * they are, so they cannot be hashed) are stored sealed with AES-256-GCM under a DATA_ENCRYPTION_KEYS key: a copy
 * of the database alone does not open them. `v2.<kid>.` + base64url(iv | tag | ciphertext), sealed with the first
 * key and opened with the key its kid names, so keys rotate: add a new first key, let `keys.reseal-secrets` move
 * every value to it, then drop the old one. `v1.` values (one key, no kid) are opened with whichever configured
 * key authenticates them; values without a prefix are from before sealing and are read as they are.
 */
@Injectable()
export class SecretBox {
  private readonly keys: KeyringEntry<Buffer>[];

  constructor(config: AppConfig) {
    this.keys = config.dataEncryptionKeys;
  }

  /** The id of the key new values are sealed with. */
  get writeKid(): string {
    return this.keys[0].kid;
  }

  seal(plain: string): string {
    const { kid, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${V2}${kid}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url')}`;
  }

  /** The plain value; throws when it was sealed under a key not configured (any more) or altered. */
  open(stored: string): string {
    if (stored.startsWith(V2)) {
      const dot = stored.indexOf('.', V2.length);
      const kid = stored.slice(V2.length, dot);
      const entry = dot < 0 ? undefined : this.keys.find((k) => k.kid === kid);
      if (!entry) throw new Error(`Sealed under a key that is not configured (kid ${kid})`);
      return decrypt(entry.key, stored.slice(dot + 1));
    }
    if (!stored.startsWith(V1)) return stored;
    // No kid: the GCM tag tells which key sealed it.
    let failure: unknown;
    for (const { key } of this.keys) {
      try {
        return decrypt(key, stored.slice(V1.length));
      } catch (error) {
        failure = error;
      }
    }
    throw failure;
  }

  /** True when the value is not sealed under the write key yet (plain, v1, or another kid): reseal moves it. */
  needsReseal(stored: string): boolean {
    return !stored.startsWith(`${V2}${this.writeKid}.`);
  }

  /** The value sealed under the write key (opened first under whichever key sealed it). */
  reseal(stored: string): string {
    return this.needsReseal(stored) ? this.seal(this.open(stored)) : stored;
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(V1) || stored.startsWith(V2);
  }
}

function decrypt(key: Buffer, body: string): string {
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

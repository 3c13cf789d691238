import { createPrivateKey, hkdfSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { IsUrlPattern } from '#cairn/shared/templates';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const JWT_ALGORITHMS = ['HS256', 'ES256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** The id a key set alone (DATA_ENCRYPTION_KEY, JWT_SECRET) goes by: write it as `default:<old>` when rotating. */
export const DEFAULT_KEY_ID = 'default';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** One key of a rotating set: its id travels with what it sealed or signed. */
export interface KeyringEntry<K> {
  kid: string;
  key: K;
}

export const EMAIL_PROVIDERS = ['smtp', 'resend'] as const;
export type EmailProviderName = (typeof EMAIL_PROVIDERS)[number];

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  return value;
};

/**
 * The nodemailer options SMTP_URL may carry. Not `tls.rejectUnauthorized`: certificate checks are turned off only
 * by SMTP_TLS_ALLOW_SELF_SIGNED, one visible setting (nodemailer lets URL options override the code's).
 */
const SMTP_OPTION =
  '(tls\\.(servername|minVersion)|name|secure|requireTLS|ignoreTLS|authMethod|maxConnections|maxMessages|rateLimit|rateDelta)=[^&#\\s]*';
/** `smtp[s]://[user:password@]host[:port][/][?option=value&…]`. */
const SMTP_URL_PATTERN = new RegExp(`^smtps?://[^\\s/?#]+/?(\\?${SMTP_OPTION}(&${SMTP_OPTION})*)?$`);

/**
 * Every setting the API and worker read, straight from the environment.
 * Property names are the variable names so validation errors name the variable to fix.
 */
export class AppConfig {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// connection URL' })
  DATABASE_URL: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_MAX = 10;

  /** How long an idle pooled connection is kept before it is closed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  DATABASE_IDLE_TIMEOUT_MS = 10000;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /**
   * Seed nodes of a Redis Cluster, comma-separated `redis://` or `rediss://` URLs with the same scheme and
   * credentials (a few suffice: the client learns the rest from the cluster). Set instead of REDIS_URL; read it
   * through `redisClusterNodes`, which loadConfig has validated.
   */
  @IsOptional()
  @IsString()
  REDIS_CLUSTER_NODES?: string;

  /** The HS256 key, unless JWT_SECRETS lists several (then this must be unset); not needed with ES256. */
  @ValidateIf(
    (config: AppConfig) =>
      config.JWT_SECRETS === undefined && (config.JWT_ALGORITHM !== 'ES256' || config.JWT_SECRET !== undefined),
  )
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters long' })
  JWT_SECRET: string;

  /**
   * HS256 keys to rotate: `kid:secret,kid:secret`, the first signs, all verify (by the token's `kid`). Read it
   * through `jwtHmacKeys`, which loadConfig has validated.
   */
  @IsOptional()
  @IsString()
  JWT_SECRETS?: string;

  /** HS256 (a shared secret, one deployment) or ES256 (JWT_SIGNING_KEYS; public keys at /.well-known/jwks.json). */
  @IsIn(JWT_ALGORITHMS, { message: 'JWT_ALGORITHM must be HS256 or ES256' })
  JWT_ALGORITHM: JwtAlgorithm = 'HS256';

  /**
   * ES256 private keys, `kid:<PEM or file path>,…` (PEM newlines may be `\n`): the first signs, all verify and
   * are published. Read it through `jwtSigningKeys`.
   */
  @IsOptional()
  @IsString()
  JWT_SIGNING_KEYS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  INVITATION_TTL_DAYS = 7;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  API_PORT = 3000;

  /** Attempts (login, acceptInvitation, refreshSession) one account may fail per window before RATE_LIMITED. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  SIGN_IN_LIMIT_PER_ACCOUNT = 10;

  /** Attempts one client address may fail per window, whatever the account. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000000)
  SIGN_IN_LIMIT_PER_ADDRESS = 100;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  SIGN_IN_LIMIT_WINDOW_SECONDS = 900;

  /**
   * How many reverse proxies stand in front of the API (Express `trust proxy`): the client address is then read
   * that many hops from the right of X-Forwarded-For. 0: the TCP peer's address (X-Forwarded-For is ignored).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY_HOPS = 0;

  /**
   * Where people reach the API from outside, for absolute links it hands out (calendar feed addresses): scheme,
   * host and optional port, no path, query or fragment, e.g. `https://cairn.example.com`. Unset:
   * `http://localhost:<API_PORT>`. Read it through `publicBaseUrl`.
   */
  @IsOptional()
  @Matches(
    /^https?:\/\/([a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(:\d{1,5})?\/?$/i,
    {
      message:
        'PUBLIC_BASE_URL must be an http:// or https:// URL without a path, query or fragment, e.g. https://cairn.example.com',
    },
  )
  PUBLIC_BASE_URL?: string;

  /**
   * The accept link in invitation emails: the firm's frontend page that takes the token and a password and calls
   * `acceptInvitation`, e.g. `https://app.example.com/accept-invitation?token={token}` or, an app per firm,
   * `https://{firmSlug}.app.example.com/join/{token}`. Unset: no invitation email is sent (`inviteUser` still
   * returns the token for you to deliver).
   */
  @IsOptional()
  @IsUrlPattern(['token'], ['firmSlug'])
  INVITE_URL_PATTERN?: string;

  /**
   * Where each client's name in a coach report links to in the firm's own app, e.g.
   * `https://app.example.com/clients/{clientId}` (also `{firmSlug}`). Unset: names are not linked.
   */
  @IsOptional()
  @IsUrlPattern(['clientId'], ['firmSlug'])
  CLIENT_URL_PATTERN?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Honoured only when NODE_ENV=development; production runs `npm run migrate` as a release step. */
  @Transform(toBool)
  @IsBoolean()
  MIGRATE_ON_START = false;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(50)
  GRAPHQL_MAX_DEPTH = 10;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(100000)
  GRAPHQL_MAX_COMPLEXITY = 2000;

  /**
   * Serves the GraphQL explorer (Ruru, a GraphiQL distribution, all assets from Cairn itself) to browsers at
   * GET /graphql. Unset: on outside production, off in production. Read it through `graphqlExplorerEnabled`.
   */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'GRAPHQL_EXPLORER must be true or false' })
  GRAPHQL_EXPLORER?: boolean;

  /**
   * Lets webhook endpoints target loopback, private, link-local and unique-local addresses. Off by default so an
   * admin cannot make the worker call into the internal network (SSRF); turn on only for local development.
   */
  @Transform(toBool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  /**
   * Lets a firm's single sign-on issuer be plain http:// (a local identity provider in development and tests).
   * Off: issuers must be https, so codes, tokens and the client secret never cross the network in clear.
   */
  @Transform(toBool)
  @IsBoolean()
  SSO_ALLOW_HTTP_ISSUERS = false;

  /**
   * Lets a firm's single sign-on issuer resolve to a loopback, private or link-local address (an identity provider
   * on the firm's own network when Cairn runs there too, or on this machine in tests). Off: an ADMIN cannot make
   * the API fetch from its own host or internal network, as with webhooks.
   */
  @Transform(toBool)
  @IsBoolean()
  SSO_ALLOW_PRIVATE_ISSUERS = false;

  /**
   * Webhook POSTs in flight at once per worker process (the delivery engine's slots for webhooks). A worker
   * killed mid-send leaves at most this many answered-but-unrecorded POSTs to be sent again.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_CONCURRENCY = 5;

  /** Delivered and failed webhook deliveries, their attempts and unreferenced events are purged after this. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_RETENTION_DAYS = 30;

  /**
   * Which provider sends email: `smtp` (SMTP_URL, through nodemailer) or `resend` (Resend's HTTP API, RESEND_API_KEY).
   * Unset: `smtp` when SMTP_URL is set, else no email is sent; in-app and webhook channels still work.
   */
  @IsOptional()
  @IsIn(EMAIL_PROVIDERS, { message: 'EMAIL_PROVIDER must be smtp or resend' })
  EMAIL_PROVIDER?: EmailProviderName;

  /** Resend's API key (`re_…`), for EMAIL_PROVIDER=resend. */
  @IsOptional()
  @Matches(/^\S+$/, { message: 'RESEND_API_KEY must not contain whitespace' })
  RESEND_API_KEY?: string;

  /** Resend's API base URL; another only for a test double or a proxy. */
  @Matches(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, {
    message: 'RESEND_API_URL must be an http:// or https:// URL without query or fragment',
  })
  RESEND_API_URL = 'https://api.resend.com';

  /**
   * The SMTP server Cairn's email goes through (nodemailer's pooled transport), e.g.
   * `smtp://user:password@mail.example.com:587` (STARTTLS when offered) or `smtps://…:465`. Only the query options
   * in SMTP_OPTION are taken.
   */
  @IsOptional()
  @Matches(SMTP_URL_PATTERN, {
    message:
      'SMTP_URL must be an smtp:// or smtps:// URL, with query options among tls.servername, tls.minVersion, name, secure, requireTLS, ignoreTLS, authMethod, maxConnections, maxMessages, rateLimit and rateDelta',
  })
  SMTP_URL?: string;

  /**
   * Accept an SMTP server certificate that does not verify (self-signed, unknown CA, wrong name). Off: such a
   * server is refused and the attempt retried. For local relays and development only.
   */
  @Transform(toBool)
  @IsBoolean()
  SMTP_TLS_ALLOW_SELF_SIGNED = false;

  /** DKIM signing of every email: the signing domain (d=). Set with DKIM_SELECTOR and DKIM_PRIVATE_KEY, or none. */
  @IsOptional()
  @Matches(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, { message: 'DKIM_DOMAIN must be a domain name, e.g. example.com' })
  DKIM_DOMAIN?: string;

  /** The DKIM selector (s=): the public key is published at `<selector>._domainkey.<DKIM_DOMAIN>`. */
  @IsOptional()
  @Matches(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i, {
    message: 'DKIM_SELECTOR must be a DNS label (letters, digits, hyphens), e.g. cairn2026',
  })
  DKIM_SELECTOR?: string;

  /** The DKIM private key, PEM, RSA of 1024+ bits (2048 recommended); newlines may be written as `\n`. */
  @IsOptional()
  @IsString()
  DKIM_PRIVATE_KEY?: string;

  /** A platform-wide stop for nudges (an incident, a bad rule): the worker's nudge runs then do nothing. */
  @Transform(toBool)
  @IsBoolean()
  NUDGES_PAUSED = false;

  /** A platform-wide stop for coach reports (an incident, a bad figure): the worker's report runs then do nothing. */
  @Transform(toBool)
  @IsBoolean()
  REPORTS_PAUSED = false;

  /** The From of every email, `Name <address>` or a bare address. */
  @Matches(/^([^<>\r\n]+ )?<?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/, {
    message: 'MAIL_FROM must be an email address, optionally `Name <address>`',
  })
  MAIL_FROM = 'Cairn <no-reply@cairn.localhost>';

  /**
   * Bearer token that GET /metrics requires (`Authorization: Bearer <METRICS_TOKEN>`). Unset: /metrics is open,
   * so it must then be reachable only from an internal network (the scrape is cross-tenant operational data).
   */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'METRICS_TOKEN must be at least 32 characters long' })
  @Matches(/^\S+$/, { message: 'METRICS_TOKEN must not contain whitespace' })
  METRICS_TOKEN?: string;

  /**
   * Password of the read-only queue dashboard at /admin/queues (HTTP Basic auth, any username). The queues hold
   * every tenant's jobs, so no tenant credential opens it, a firm admin's included. Unset: it is not mounted.
   */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'QUEUE_DASHBOARD_PASSWORD must be at least 16 characters long' })
  @Matches(/^\S+$/, { message: 'QUEUE_DASHBOARD_PASSWORD must not contain whitespace' })
  QUEUE_DASHBOARD_PASSWORD?: string;

  /**
   * 32 random bytes, base64 (`openssl rand -base64 32`): the key stored secrets (webhook signing secrets) are
   * sealed with. Unset: derived from JWT_SECRET, so rotating JWT_SECRET would make them unreadable; set it in
   * production (required there).
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'DATA_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
  })
  DATA_ENCRYPTION_KEY?: string;

  /**
   * Sealing keys to rotate: `kid:base64key,kid:base64key`, the first seals, all open (by the value's kid). Set
   * this or DATA_ENCRYPTION_KEY, not both. Read it through `dataEncryptionKeys`.
   */
  @IsOptional()
  @IsString()
  DATA_ENCRYPTION_KEYS?: string;

  @IsOptional()
  @IsString()
  SERVICE_NAME?: string;

  /**
   * Every sealing key, the write key first: DATA_ENCRYPTION_KEYS, else DATA_ENCRYPTION_KEY (id `default`), else
   * outside production one derived from the first JWT secret (id `default`).
   */
  get dataEncryptionKeys(): KeyringEntry<Buffer>[] {
    if (this.DATA_ENCRYPTION_KEYS !== undefined) return parseDataEncryptionKeys(this.DATA_ENCRYPTION_KEYS).keys;
    if (this.DATA_ENCRYPTION_KEY)
      return [{ kid: DEFAULT_KEY_ID, key: Buffer.from(this.DATA_ENCRYPTION_KEY, 'base64') }];
    // Outside production only (loadConfig requires a key there): ES256 without a JWT secret derives from its key.
    const seed = this.jwtHmacKeys[0]?.key ?? this.jwtSigningKeys[0].key.export({ format: 'der', type: 'pkcs8' });
    return [{ kid: DEFAULT_KEY_ID, key: Buffer.from(hkdfSync('sha256', seed, 'cairn', 'data-encryption-key/v1', 32)) }];
  }

  /** The key new values are sealed with (the first of dataEncryptionKeys). */
  get dataEncryptionKey(): Buffer {
    return this.dataEncryptionKeys[0].key;
  }

  /** HS256 keys, the signing key first: JWT_SECRETS, else JWT_SECRET (id `default`); none with ES256 alone. */
  get jwtHmacKeys(): KeyringEntry<string>[] {
    if (this.JWT_SECRETS !== undefined) return parseJwtSecrets(this.JWT_SECRETS).keys;
    return this.JWT_SECRET === undefined ? [] : [{ kid: DEFAULT_KEY_ID, key: this.JWT_SECRET }];
  }

  /** ES256 private keys (JWT_SIGNING_KEYS), the signing key first; empty with HS256. */
  get jwtSigningKeys(): KeyringEntry<KeyObject>[] {
    return this.JWT_SIGNING_KEYS === undefined ? [] : parseSigningKeys(this.JWT_SIGNING_KEYS).keys;
  }

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  /** GRAPHQL_EXPLORER, else on everywhere but production. */
  get graphqlExplorerEnabled(): boolean {
    return this.GRAPHQL_EXPLORER ?? !this.isProduction;
  }

  /** The parsed REDIS_CLUSTER_NODES, or undefined for a standalone Redis (REDIS_URL). */
  get redisClusterNodes(): URL[] | undefined {
    return this.REDIS_CLUSTER_NODES === undefined ? undefined : parseClusterNodes(this.REDIS_CLUSTER_NODES).nodes;
  }

  /** The provider email goes through: EMAIL_PROVIDER, else SMTP when SMTP_URL is set; undefined: no email. */
  get emailProvider(): EmailProviderName | undefined {
    return this.EMAIL_PROVIDER ?? (this.SMTP_URL ? 'smtp' : undefined);
  }

  /** DKIM_DOMAIN, DKIM_SELECTOR and the PEM of DKIM_PRIVATE_KEY, when DKIM signing is configured. */
  get dkim(): { domainName: string; keySelector: string; privateKey: string } | undefined {
    if (!this.DKIM_DOMAIN || !this.DKIM_SELECTOR || !this.DKIM_PRIVATE_KEY) return undefined;
    return {
      domainName: this.DKIM_DOMAIN.toLowerCase(),
      keySelector: this.DKIM_SELECTOR,
      privateKey: this.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n'),
    };
  }

  /** PUBLIC_BASE_URL without a trailing slash, or `http://localhost:<API_PORT>` when it is not set. */
  get publicBaseUrl(): string {
    return (this.PUBLIC_BASE_URL ?? `http://localhost:${this.API_PORT}`).replace(/\/$/, '');
  }
}

/** What is wrong with the email provider settings: the chosen provider's own, and none of another's left unused. */
function emailProviderProblems(raw: Record<string, unknown>, config: AppConfig): string[] {
  const problems: string[] = [];
  if (config.EMAIL_PROVIDER === 'smtp' && raw.SMTP_URL === undefined)
    problems.push('SMTP_URL is required when EMAIL_PROVIDER=smtp');
  if (config.EMAIL_PROVIDER === 'resend') {
    if (raw.RESEND_API_KEY === undefined)
      problems.push('RESEND_API_KEY is required when EMAIL_PROVIDER=resend');
    // Resend signs with the domain verified in its dashboard; keys set here would sign nothing.
    if (['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY'].some((name) => raw[name] !== undefined))
      problems.push(
        'DKIM_* settings sign SMTP mail only: with EMAIL_PROVIDER=resend, Resend signs with your verified domain',
      );
  }
  // A key that would be silently ignored: most likely EMAIL_PROVIDER=resend was forgotten.
  if (raw.RESEND_API_KEY !== undefined && config.emailProvider !== 'resend')
    problems.push('RESEND_API_KEY is set but EMAIL_PROVIDER is not resend');
  return problems;
}

/** What is wrong with the DKIM settings: all three or none, a usable key, a domain the From aligns with. */
function dkimProblems(raw: Record<string, unknown>, config: AppConfig): string[] {
  const names = ['DKIM_DOMAIN', 'DKIM_SELECTOR', 'DKIM_PRIVATE_KEY'] as const;
  const set = names.filter((name) => raw[name] !== undefined);
  if (set.length === 0) return [];
  if (set.length < names.length)
    return [`${names.filter((n) => !set.includes(n)).join(' and ')} must be set too: DKIM needs DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY`];
  const problems: string[] = [];
  const dkim = config.dkim!;
  try {
    const key = createPrivateKey(dkim.privateKey);
    // nodemailer signs rsa-sha256 only.
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 1024)
      problems.push('DKIM_PRIVATE_KEY must be an RSA key of at least 1024 bits');
  } catch {
    problems.push('DKIM_PRIVATE_KEY must be a PEM private key (-----BEGIN PRIVATE KEY----- …; newlines may be \\n)');
  }
  // DMARC passes on DKIM only when the signing domain is the From's domain or a parent of it (relaxed alignment).
  const from = /@([^\s>]+)>?$/.exec(config.MAIL_FROM)?.[1]?.toLowerCase() ?? '';
  if (from !== dkim.domainName && !from.endsWith(`.${dkim.domainName}`))
    problems.push(`DKIM_DOMAIN must be MAIL_FROM's domain or a parent of it (${from})`);
  return problems;
}

/**
 * A `kid:value,kid:value` list, each value read by `read` (which returns a problem or the key). Problems name
 * entries by position and kid, never by value.
 */
function parseKeyring<K>(
  variable: string,
  value: string,
  read: (raw: string) => { key: K } | { problem: string },
): { keys: KeyringEntry<K>[]; problems: string[] } {
  const keys: KeyringEntry<K>[] = [];
  const problems: string[] = [];
  value.split(',').forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const kid = entry.slice(0, colon).trim();
    if (colon < 0 || !KEY_ID.test(kid)) {
      problems.push(`${variable} entry ${index + 1} must be kid:key, the kid 1-32 letters, digits, - or _`);
      return;
    }
    if (keys.some((k) => k.kid === kid)) problems.push(`${variable} names kid ${kid} twice`);
    const read_ = read(entry.slice(colon + 1).trim());
    if ('problem' in read_) problems.push(`${variable} key ${kid} ${read_.problem}`);
    else keys.push({ kid, key: read_.key });
  });
  return { keys, problems };
}

function parseDataEncryptionKeys(value: string) {
  return parseKeyring<Buffer>('DATA_ENCRYPTION_KEYS', value, (raw) =>
    /^[A-Za-z0-9+/]{43}=$/.test(raw)
      ? { key: Buffer.from(raw, 'base64') }
      : { problem: 'must be 32 bytes in base64 (openssl rand -base64 32)' },
  );
}

function parseJwtSecrets(value: string) {
  return parseKeyring<string>('JWT_SECRETS', value, (raw) =>
    raw.length >= 32 ? { key: raw } : { problem: 'must be at least 32 characters long' });
}

function parseSigningKeys(value: string) {
  return parseKeyring('JWT_SIGNING_KEYS', value, (raw): { key: KeyObject } | { problem: string } => {
    let pem: string;
    try {
      pem = raw.startsWith('-----BEGIN') ? raw.replace(/\\n/g, '\n') : readFileSync(raw, 'utf8');
    } catch {
      return { problem: 'must be a PEM private key or the path of a readable file holding one' };
    }
    try {
      const key = createPrivateKey(pem);
      if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
        return {
          problem:
            'must be an EC P-256 private key for ES256 (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)',
        };
      return { key };
    } catch {
      return { problem: 'must be a PEM private key (-----BEGIN PRIVATE KEY----- …; newlines may be \\n)' };
    }
  });
}

/** What is wrong with the key settings: lists well formed, one way to set each, ES256 with its keys. */
function keyProblems(raw: Record<string, unknown>, config: AppConfig): string[] {
  const problems: string[] = [];
  if (raw.DATA_ENCRYPTION_KEYS !== undefined) {
    if (raw.DATA_ENCRYPTION_KEY !== undefined) problems.push('Set DATA_ENCRYPTION_KEY or DATA_ENCRYPTION_KEYS, not both');
    problems.push(...parseDataEncryptionKeys(String(raw.DATA_ENCRYPTION_KEYS)).problems);
  }
  if (raw.JWT_SECRETS !== undefined) {
    if (raw.JWT_SECRET !== undefined) problems.push('Set JWT_SECRET or JWT_SECRETS, not both');
    problems.push(...parseJwtSecrets(String(raw.JWT_SECRETS)).problems);
  }
  if (raw.JWT_SIGNING_KEYS !== undefined) {
    if (config.JWT_ALGORITHM !== 'ES256') problems.push('JWT_SIGNING_KEYS is set but JWT_ALGORITHM is not ES256');
    problems.push(...parseSigningKeys(String(raw.JWT_SIGNING_KEYS)).problems);
  } else if (config.JWT_ALGORITHM === 'ES256') problems.push('JWT_SIGNING_KEYS is required when JWT_ALGORITHM=ES256');
  return problems;
}

/**
 * REDIS_CLUSTER_NODES as URLs, with what is wrong with it. Problems name entries by position, never by value:
 * the URLs may carry a password.
 */
function parseClusterNodes(value: string): { nodes: URL[]; problems: string[] } {
  const nodes: URL[] = [];
  const problems: string[] = [];
  value.split(',').forEach((entry, index) => {
    const where = `REDIS_CLUSTER_NODES entry ${index + 1}`;
    let url: URL;
    try {
      url = new URL(entry.trim());
    } catch {
      problems.push(`${where} must be a redis:// or rediss:// URL (host:port)`);
      return;
    }
    if (!['redis:', 'rediss:'].includes(url.protocol) || !url.hostname)
      problems.push(`${where} must be a redis:// or rediss:// URL (host:port)`);
    else if (!['', '/', '/0'].includes(url.pathname) || url.search || url.hash)
      problems.push(`${where} must not name a database or options: Redis Cluster has only database 0`);
    else nodes.push(url);
  });
  const identity = (url: URL) => `${url.protocol}${url.username}:${url.password}`;
  if (nodes.some((url) => identity(url) !== identity(nodes[0])))
    problems.push('REDIS_CLUSTER_NODES entries must all use the same scheme (redis:// or rediss://) and credentials');
  return { nodes, problems };
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Parses and validates the environment; throws one error listing every bad variable (values are never echoed). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const raw: Record<string, unknown> = {};
  for (const key of [
    ...known,
    'DATABASE_URL',
    'JWT_SECRET',
    'SERVICE_NAME',
    'SMTP_URL',
    'EMAIL_PROVIDER',
    'RESEND_API_KEY',
    'METRICS_TOKEN',
    'QUEUE_DASHBOARD_PASSWORD',
    'DATA_ENCRYPTION_KEY',
    'DATA_ENCRYPTION_KEYS',
    'JWT_SECRETS',
    'JWT_SIGNING_KEYS',
    'PUBLIC_BASE_URL',
    'REDIS_CLUSTER_NODES',
    'INVITE_URL_PATTERN',
    'CLIENT_URL_PATTERN',
    'GRAPHQL_EXPLORER',
    'DKIM_DOMAIN',
    'DKIM_SELECTOR',
    'DKIM_PRIVATE_KEY',
  ]) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { whitelist: true });
  const problems = errors.map((e) => {
    const messages = Object.values(e.constraints ?? {});
    if (raw[e.property] === undefined) return `${e.property} is required but not set`;
    return messages.join('; ');
  });
  // In production the sealing key must not hang on JWT_SECRET, which is rotated for other reasons.
  if (config.NODE_ENV === 'production' && raw.DATA_ENCRYPTION_KEY === undefined && raw.DATA_ENCRYPTION_KEYS === undefined)
    problems.push('DATA_ENCRYPTION_KEY is required in production (openssl rand -base64 32)');
  if (problems.length === 0)
    problems.push(...emailProviderProblems(raw, config), ...dkimProblems(raw, config));
  problems.push(...keyProblems(raw, config));
  if (typeof raw.REDIS_CLUSTER_NODES === 'string') {
    problems.push(...parseClusterNodes(raw.REDIS_CLUSTER_NODES).problems);
    // One Redis, named one way: a REDIS_URL beside the cluster would be silently ignored.
    if (raw.REDIS_URL !== undefined) problems.push('Set REDIS_URL or REDIS_CLUSTER_NODES, not both');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return config;
}

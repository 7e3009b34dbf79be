import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Shorter tokens are refused before any hashing (docs/behaviour.md#workspaces-tokens-and-roles). */
export const MIN_TOKEN_LENGTH = 32;

export interface ScryptParams {
  /** log2 of scrypt's cost N. */
  ln: number;
  r: number;
  p: number;
}

/** N = 16384, r = 8, p = 1: 16 MiB and tens of milliseconds per hash (scrypt's interactive-login setting). */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { ln: 14, r: 8, p: 1 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Parameters a workspaces file may ask for: enough to be slow, never enough to exhaust memory. */
const LIMITS = { ln: [12, 16], r: [1, 16], p: [1, 4] } as const;
const MAX_SCRYPT_MEMORY = 64 * 1024 * 1024;

/** How a token is stored in the workspaces file: a salted scrypt hash, or (deprecated) its bare SHA-256. */
export type StoredTokenHash = { kind: 'scrypt'; params: ScryptParams; salt: Buffer; hash: Buffer } | { kind: 'sha256'; hash: Buffer };

const memoryOf = ({ ln, r }: ScryptParams): number => 128 * 2 ** ln * r;

const scryptOptions = (params: ScryptParams): ScryptOptions => ({
  N: 2 ** params.ln,
  r: params.r,
  p: params.p,
  maxmem: memoryOf(params) + 1024 * 1024,
});

const scryptAsync = (token: string, salt: Buffer, keyLength: number, params: ScryptParams): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(token, salt, keyLength, scryptOptions(params), (error, key) => (error ? reject(error) : resolve(key)));
  });

const unpadded = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

/** The PHC string of a token hash: `$scrypt$ln=14,r=8,p=1$<salt, base64>$<hash, base64>`. */
export const formatScryptHash = (params: ScryptParams, salt: Buffer, hash: Buffer): string =>
  `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${unpadded(salt)}$${unpadded(hash)}`;

/** Hashes a token for the workspaces file, with a fresh random salt. */
export const hashToken = async (token: string, params: ScryptParams = DEFAULT_SCRYPT_PARAMS): Promise<string> => {
  const salt = randomBytes(SALT_BYTES);
  return formatScryptHash(params, salt, await scryptAsync(token, salt, HASH_BYTES, params));
};

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Parses an `scrypt` entry of the workspaces file; a string is the reason it is refused. */
export const parseScryptHash = (text: string): Extract<StoredTokenHash, { kind: 'scrypt' }> | string => {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(text);
  if (!match) return 'must be "$scrypt$ln=<n>,r=<n>,p=<n>$<salt, base64>$<hash, base64>" (npm run hash-token prints one)';
  const [, ln, r, p, salt, hash] = match as unknown as [string, string, string, string, string, string];
  const params = { ln: Number(ln), r: Number(r), p: Number(p) };
  for (const key of ['ln', 'r', 'p'] as const) {
    const [min, max] = LIMITS[key];
    if (params[key] < min || params[key] > max) return `${key} must be between ${min} and ${max}`;
  }
  if (memoryOf(params) > MAX_SCRYPT_MEMORY) return 'ln and r ask for more than 64 MiB (128 * 2^ln * r)';
  if (!BASE64.test(salt) || !BASE64.test(hash)) return 'salt and hash must be base64';
  const saltBytes = Buffer.from(salt, 'base64');
  const hashBytes = Buffer.from(hash, 'base64');
  if (saltBytes.length < 16) return 'the salt must be at least 16 bytes';
  if (hashBytes.length < 16 || hashBytes.length > 64) return 'the hash must be 16 to 64 bytes';
  return { kind: 'scrypt', params, salt: saltBytes, hash: hashBytes };
};

export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Whether `token` is the one `stored` was made from; compared in constant time. */
export const tokenMatches = async (token: string, stored: StoredTokenHash): Promise<boolean> => {
  const presented = stored.kind === 'sha256' ? sha256(token) : await scryptAsync(token, stored.salt, stored.hash.length, stored.params);
  return presented.length === stored.hash.length && timingSafeEqual(presented, stored.hash);
};

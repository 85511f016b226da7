import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * The format of `dashboard_users.password_hash`: `scrypt$N$r$p$<salt base64>$<key base64>` — node:crypto's
 * scrypt with a random 16-byte salt per user and a 32-byte key. The parameters travel with the hash, so raising
 * them later leaves older hashes verifiable.
 */
export const PASSWORD_PARAMS = { N: 32_768, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** Passwords shorter than this are refused when set (not when checked: a login just fails). */
export const MIN_PASSWORD_LENGTH = 12;
/** scrypt's input is bounded so a huge password cannot tie up a CPU. */
export const MAX_PASSWORD_LENGTH = 256;

const derive = (password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const opts: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, opts, (err, key) => (err ? reject(err) : resolve(key)));
  });

/** A new hash of `password` (throws a RangeError naming the rule it breaks). */
export async function hashPassword(password: string, params: { N: number; r: number; p: number } = PASSWORD_PARAMS): Promise<string> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new RangeError(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new RangeError(`a password has at most ${MAX_PASSWORD_LENGTH} characters`);
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

const HASH = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** A hash no password matches, verified when a login names no user so both answers take as long. */
export const UNMATCHABLE_HASH = `scrypt$${PASSWORD_PARAMS.N}$${PASSWORD_PARAMS.r}$${PASSWORD_PARAMS.p}$${Buffer.alloc(SALT_LENGTH).toString("base64")}$${Buffer.alloc(KEY_LENGTH).toString("base64")}`;

/** Whether `password` matches `stored` (constant-time comparison of the derived keys; a malformed hash matches nothing). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = HASH.exec(stored);
  if (!m || password.length > MAX_PASSWORD_LENGTH) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5]!, "base64");
  if (expected.length !== KEY_LENGTH || N < 2 || N > 1_048_576 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const key = await derive(password, Buffer.from(m[4]!, "base64"), { N, r, p });
  return timingSafeEqual(key, expected);
}

/**
 * `npm run hash-token`: a new API token and its `authTokens` entry for APPROVAL_WORKSPACES_FILE.
 *
 *   npm run hash-token                                  # a random token, role admin
 *   npm run hash-token -- --role member
 *   printf %s "$TOKEN" | npm run hash-token -- --stdin  # the entry of a token you already have
 *
 * The entry holds a salted scrypt hash (docs/behaviour.md#workspaces-tokens-and-roles); the token
 * itself is printed once and stored nowhere.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { hashToken, MIN_TOKEN_LENGTH } from '../src/infra/auth/token-hash';

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
};

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: { role: { type: 'string', default: 'admin' }, stdin: { type: 'boolean', default: false } },
  });
  if (values.role !== 'admin' && values.role !== 'member') throw new Error('--role must be admin or member');
  const token = values.stdin ? await readStdin() : randomBytes(32).toString('base64url');
  if (token.length < MIN_TOKEN_LENGTH) throw new Error(`the token must be at least ${MIN_TOKEN_LENGTH} characters`);
  const entry = JSON.stringify({ scrypt: await hashToken(token), role: values.role });
  if (values.stdin) {
    console.log(entry);
    return;
  }
  console.log('token (send it as x-velt-auth-token; it is not stored anywhere, keep it now):');
  console.log(`  ${token}`);
  console.log('entry for the workspace\'s "authTokens" in APPROVAL_WORKSPACES_FILE:');
  console.log(`  ${entry}`);
};

main().catch((error: unknown) => {
  console.error(`hash-token: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

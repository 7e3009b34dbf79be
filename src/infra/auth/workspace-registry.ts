import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeZodError } from '../../core/zod-message';
import { MIN_TOKEN_LENGTH, parseScryptHash, sha256, tokenMatches, type StoredTokenHash } from './token-hash';
import { ConcurrencyLimit, VerifiedTokens } from './verified-tokens';

export type Role = 'admin' | 'member';

const TokenSchema = z
  .strictObject({
    scrypt: z
      .string()
      .superRefine((text, ctx) => {
        const parsed = parseScryptHash(text);
        if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
      })
      .optional(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the token')
      .optional(),
    role: z.enum(['admin', 'member']),
    expiresAt: z.number().int().positive().optional(),
  })
  .refine((token) => (token.scrypt === undefined) !== (token.sha256 === undefined), 'give exactly one of scrypt or sha256');

const AgentSchema = z.strictObject({
  agentId: z
    .string()
    .min(1)
    .max(200)
    .refine((id) => id !== '__mock__', '__mock__ is reserved'),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(16).max(512),
  /** The operator vouches for this URL: it may be http and reach private addresses (docs/behaviour.md#agents). */
  internal: z.boolean().optional(),
});

const WorkspaceSchema = z.strictObject({
  apiKey: z.string().min(1).max(256),
  authTokens: z.array(TokenSchema).min(1),
  agents: z.array(AgentSchema).optional(),
});

export type RegisteredAgent = z.infer<typeof AgentSchema>;

export const WorkspacesFileSchema = z.array(WorkspaceSchema).min(1);

export interface WorkspaceToken {
  stored: StoredTokenHash;
  role: Role;
  expiresAt?: number;
  /** Where it came from, for start-up messages: `workspaces[0].authTokens[1]`, or `APPROVAL_AUTH_TOKEN`. */
  source: string;
}

export interface Workspace {
  /** Stable, non-secret id derived from the API key; used in Temporal ids and search attributes. */
  workspaceId: string;
  apiKey: string;
  tokens: WorkspaceToken[];
  agents: RegisteredAgent[];
}

export interface Principal {
  workspace: Workspace;
  role: Role;
}

export { sha256 } from './token-hash';
export const sha256Hex = (value: string): string => sha256(value).toString('hex');
export const workspaceIdFor = (apiKey: string): string => `ws_${sha256Hex(apiKey).slice(0, 20)}`;

/** Slow hashes run on libuv's small thread pool; a flood of wrong tokens must not take all of it. */
const CONCURRENT_TOKEN_HASHES = 2;

export class WorkspaceRegistry {
  private readonly byApiKey: Map<string, Workspace>;
  private readonly byId: Map<string, Workspace>;
  private readonly verified = new VerifiedTokens<WorkspaceToken>();
  /** One verification per API key and token at a time: concurrent first requests share it. */
  private readonly verifying = new Map<string, Promise<WorkspaceToken | undefined>>();
  private readonly hashing = new ConcurrencyLimit(CONCURRENT_TOKEN_HASHES);

  constructor(workspaces: Workspace[]) {
    this.byApiKey = new Map(workspaces.map((workspace) => [workspace.apiKey, workspace]));
    this.byId = new Map(workspaces.map((workspace) => [workspace.workspaceId, workspace]));
  }

  /** The HTTP agent a workspace registered under this id (the worker runs agents with it). */
  agent(workspaceId: string, agentId: string): RegisteredAgent | undefined {
    return this.byId.get(workspaceId)?.agents.find((agent) => agent.agentId === agentId);
  }

  /** A workspace by its id (reviewer links and operator sessions carry the id, never the API key). */
  workspace(workspaceId: string): Workspace | undefined {
    return this.byId.get(workspaceId);
  }

  /** The workspace of an API key alone: inbound triggers carry no token (their own secret authenticates them). */
  workspaceFor(apiKey: string): Workspace | undefined {
    return this.byApiKey.get(apiKey);
  }

  get size(): number {
    return this.byApiKey.size;
  }

  /** Tokens of the workspaces file kept as a bare SHA-256 (deprecated; the API warns at start). */
  get unsaltedTokenSources(): string[] {
    return [...this.byApiKey.values()].flatMap((workspace) =>
      workspace.tokens
        .filter((token) => token.stored.kind === 'sha256' && token.source !== 'APPROVAL_AUTH_TOKEN')
        .map((token) => token.source),
    );
  }

  /**
   * The principal of an API key and token, or undefined. A token shorter than the minimum is refused
   * before any hashing. Otherwise every token of the workspace is checked (each in constant time,
   * all of them whichever matches), so the time taken does not reveal which token, or how much of
   * one, matched; a token that verified stays trusted for a few minutes (VerifiedTokens).
   */
  async authenticate(apiKey: string, token: string, now: number): Promise<Principal | undefined> {
    if (token.length < MIN_TOKEN_LENGTH) return undefined;
    const workspace = this.byApiKey.get(apiKey);
    if (!workspace) return undefined;
    const key = this.verified.keyFor(apiKey, token);
    let match = this.verified.get(key, now);
    if (!match) {
      let pending = this.verifying.get(key);
      if (!pending) {
        pending = this.findToken(workspace, token).finally(() => this.verifying.delete(key));
        this.verifying.set(key, pending);
      }
      match = await pending;
      if (!match) return undefined;
      this.verified.set(key, match, now);
    }
    if (match.expiresAt !== undefined && match.expiresAt <= now) return undefined;
    return { workspace, role: match.role };
  }

  private async findToken(workspace: Workspace, token: string): Promise<WorkspaceToken | undefined> {
    const matches = await Promise.all(
      workspace.tokens.map((candidate) =>
        candidate.stored.kind === 'sha256'
          ? tokenMatches(token, candidate.stored)
          : this.hashing.run(() => tokenMatches(token, candidate.stored)),
      ),
    );
    return workspace.tokens.find((_candidate, index) => matches[index]);
  }
}

const toWorkspace = (entry: z.infer<typeof WorkspaceSchema>, index: number): Workspace => ({
  workspaceId: workspaceIdFor(entry.apiKey),
  apiKey: entry.apiKey,
  tokens: entry.authTokens.map((token, tokenIndex) => {
    const scrypt = token.scrypt === undefined ? undefined : parseScryptHash(token.scrypt);
    const stored: StoredTokenHash =
      scrypt !== undefined && typeof scrypt !== 'string' ? scrypt : { kind: 'sha256', hash: Buffer.from(token.sha256 ?? '', 'hex') };
    return {
      stored,
      role: token.role,
      source: `workspaces[${index}].authTokens[${tokenIndex}]`,
      ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
    };
  }),
  agents: entry.agents ?? [],
});

export const parseWorkspacesFile = (json: string, fileName: string): Workspace[] => {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`APPROVAL_WORKSPACES_FILE ${fileName}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = WorkspacesFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`APPROVAL_WORKSPACES_FILE ${fileName}: ${describeZodError(parsed.error, 'workspaces').join('; ')}`);
  }
  const apiKeys = new Set<string>();
  for (const entry of parsed.data) {
    if (apiKeys.has(entry.apiKey)) throw new Error(`APPROVAL_WORKSPACES_FILE ${fileName}: duplicate apiKey`);
    apiKeys.add(entry.apiKey);
  }
  return parsed.data.map(toWorkspace);
};

export interface WorkspaceSources {
  APPROVAL_WORKSPACES_FILE?: string | undefined;
  APPROVAL_API_KEY?: string | undefined;
  APPROVAL_AUTH_TOKEN?: string | undefined;
}

/** The start-up warning for `sha256` entries: they still work, but a leaked file gives their tokens away cheaply. */
export const unsaltedTokensWarning = (sources: readonly string[]): string =>
  `APPROVAL_WORKSPACES_FILE: ${sources.length} token(s) stored as unsalted "sha256" (${sources.join(', ')}); ` +
  'this is deprecated: replace each with an "scrypt" entry (npm run hash-token), see docs/behaviour.md#workspaces-tokens-and-roles';

/** Both sources may be set; the shortcut adds one admin workspace to those from the file. */
export const loadWorkspaceRegistry = (sources: WorkspaceSources): WorkspaceRegistry => {
  const workspaces: Workspace[] = [];
  if (sources.APPROVAL_WORKSPACES_FILE) {
    const file = sources.APPROVAL_WORKSPACES_FILE;
    let json: string;
    try {
      json = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`APPROVAL_WORKSPACES_FILE ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    workspaces.push(...parseWorkspacesFile(json, file));
  }
  if (sources.APPROVAL_API_KEY && sources.APPROVAL_AUTH_TOKEN) {
    if (workspaces.some((workspace) => workspace.apiKey === sources.APPROVAL_API_KEY)) {
      throw new Error('APPROVAL_API_KEY is also listed in APPROVAL_WORKSPACES_FILE');
    }
    // The token is in this process's environment anyway: a slow hash of it would protect nothing.
    workspaces.push({
      workspaceId: workspaceIdFor(sources.APPROVAL_API_KEY),
      apiKey: sources.APPROVAL_API_KEY,
      tokens: [{ stored: { kind: 'sha256', hash: sha256(sources.APPROVAL_AUTH_TOKEN) }, role: 'admin', source: 'APPROVAL_AUTH_TOKEN' }],
      agents: [],
    });
  }
  return new WorkspaceRegistry(workspaces);
};

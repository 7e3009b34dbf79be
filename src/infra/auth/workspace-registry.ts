import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeZodError } from '../../core/zod-message';

export type Role = 'admin' | 'member';

const TokenSchema = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the token'),
  role: z.enum(['admin', 'member']),
  expiresAt: z.number().int().positive().optional(),
});

const AgentSchema = z.strictObject({
  agentId: z
    .string()
    .min(1)
    .max(200)
    .refine((id) => id !== '__mock__', '__mock__ is reserved'),
  url: z.url({ protocol: /^https?$/ }),
  secret: z.string().min(16).max(512),
});

const WorkspaceSchema = z.strictObject({
  apiKey: z.string().min(1).max(256),
  authTokens: z.array(TokenSchema).min(1),
  agents: z.array(AgentSchema).optional(),
});

export type RegisteredAgent = z.infer<typeof AgentSchema>;

export const WorkspacesFileSchema = z.array(WorkspaceSchema).min(1);

export interface Workspace {
  /** Stable, non-secret id derived from the API key; used in Temporal ids and search attributes. */
  workspaceId: string;
  apiKey: string;
  tokens: Array<{ hash: Buffer; role: Role; expiresAt?: number }>;
  agents: RegisteredAgent[];
}

export interface Principal {
  workspace: Workspace;
  role: Role;
}

export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
export const sha256Hex = (value: string): string => sha256(value).toString('hex');
export const workspaceIdFor = (apiKey: string): string => `ws_${sha256Hex(apiKey).slice(0, 20)}`;

export class WorkspaceRegistry {
  private readonly byApiKey: Map<string, Workspace>;
  private readonly byId: Map<string, Workspace>;

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

  get size(): number {
    return this.byApiKey.size;
  }

  /**
   * Every token of the workspace is compared (hash against hash, constant time) so the time taken
   * does not reveal which token, or how much of one, matched.
   */
  authenticate(apiKey: string, token: string, now: number): Principal | undefined {
    const workspace = this.byApiKey.get(apiKey);
    const presented = sha256(token);
    let match: Workspace['tokens'][number] | undefined;
    for (const candidate of workspace?.tokens ?? []) {
      if (timingSafeEqual(candidate.hash, presented) && !match) match = candidate;
    }
    if (!workspace || !match) return undefined;
    if (match.expiresAt !== undefined && match.expiresAt <= now) return undefined;
    return { workspace, role: match.role };
  }
}

const toWorkspace = (entry: z.infer<typeof WorkspaceSchema>): Workspace => ({
  workspaceId: workspaceIdFor(entry.apiKey),
  apiKey: entry.apiKey,
  tokens: entry.authTokens.map((token) => ({
    hash: Buffer.from(token.sha256, 'hex'),
    role: token.role,
    ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
  })),
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
    workspaces.push(
      toWorkspace({
        apiKey: sources.APPROVAL_API_KEY,
        authTokens: [{ sha256: sha256Hex(sources.APPROVAL_AUTH_TOKEN), role: 'admin' }],
      }),
    );
  }
  return new WorkspaceRegistry(workspaces);
};

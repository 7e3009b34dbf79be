import type { z } from 'zod';

/** Renders a path like `data.nodes[2].config.agentId` so every validation message names its field. */
export const formatIssuePath = (path: readonly PropertyKey[], root = 'data'): string =>
  path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), root);

/** One message per issue, `<field path>: <what is wrong>`; the first is the envelope message. */
export const describeZodError = (error: z.ZodError, root = 'data'): string[] =>
  error.issues.map((issue) => {
    const path =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => formatIssuePath([...issue.path, key], root)).join(', ')
        : formatIssuePath(issue.path, root);
    return `${path}: ${issue.message}`;
  });

/** Zod's own issues, as `details.issues` carries them next to `details.violations` (docs/g3.md, "Errors"). */
export const zodIssues = (error: z.ZodError): { code: string; path: (string | number)[]; message: string }[] =>
  error.issues.map((issue) => ({
    code: issue.code,
    path: issue.path.map((key) => (typeof key === 'number' ? key : String(key))),
    message: issue.message,
  }));

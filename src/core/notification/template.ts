/*
 * Notification templates (docs/notifications.md, "Templates"): `{{dot.path}}` substitution and
 * nothing else. No expression, helper or loop is evaluated, so a template can never run code.
 * Pure: the execution workflow renders at step start, and the rendered text is what the send
 * activity gets.
 */

/** A token: `{{ a.b.0.c }}`, spaces inside the braces allowed. */
const TOKEN = /\{\{\s*([^{}\s]+)\s*\}\}/g;

export interface TemplateRoots {
  /** The previous step's output (a join's or a loop's input when the step has one). */
  input: Record<string, unknown>;
  execution: { executionId: string; definitionId: string; correlationId: string; triggerContext: Record<string, unknown> };
  step: { stepId: string; nodeId: string; iteration: number };
}

export type RenderResult = { ok: true; text: string } | { ok: false; message: string };

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** The value at a dot path; own properties only (never `constructor` or `__proto__` of a plain object). */
export const valueAtPath = (roots: TemplateRoots, path: string): unknown => {
  let current: unknown = roots;
  for (const key of path.split('.')) {
    if (!isContainer(current) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

/**
 * What a value renders as: strings verbatim, numbers and booleans as written, objects and arrays
 * as JSON, and a missing value or null as the empty string.
 */
export const renderValue = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (isContainer(value)) return JSON.stringify(value);
  return '';
};

/**
 * Renders `template` over the roots. A rendering longer than `maxChars` is refused (the result of
 * a tenant's template is bounded like any input): the message says which part and by how much.
 * Each object is serialised once however often the template names it.
 */
export const renderTemplate = (template: string, roots: TemplateRoots, maxChars: number, what: string): RenderResult => {
  const serialised = new Map<unknown, string>();
  let text = '';
  let last = 0;
  for (const match of template.matchAll(TOKEN)) {
    text += template.slice(last, match.index);
    last = match.index + match[0].length;
    const value = valueAtPath(roots, match[1] ?? '');
    let rendered = isContainer(value) ? serialised.get(value) : undefined;
    if (rendered === undefined) {
      rendered = renderValue(value);
      if (isContainer(value)) serialised.set(value, rendered);
    }
    text += rendered;
    if (text.length > maxChars) return tooLong(what, maxChars);
  }
  text += template.slice(last);
  return text.length > maxChars ? tooLong(what, maxChars) : { ok: true, text };
};

const tooLong = (what: string, maxChars: number): RenderResult => ({
  ok: false,
  message: `the rendered ${what} is longer than ${maxChars} characters`,
});

/** Block Kit blocks for Slack (`format: "slack-blocks"`): the rendered body must be a JSON array of objects. */
export const parseSlackBlocks = (text: string): { ok: true; blocks: unknown[] } | { ok: false; message: string } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `the rendered body is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!Array.isArray(parsed) || !parsed.every((block) => isContainer(block) && !Array.isArray(block)))
    return { ok: false, message: 'the rendered body must be a JSON array of Block Kit block objects' };
  return { ok: true, blocks: parsed };
};

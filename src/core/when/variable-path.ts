const STEP_FIELDS = [
  'stepId',
  'nodeId',
  'nodeType',
  'status',
  'startedAt',
  'completedAt',
  'durationMs',
  'retryCount',
  'iteration',
] as const;

const STEP_FIELD_SET = new Set<string>(STEP_FIELDS);

const ROOTS_HINT = '(allowed: output.*, step.*, execution.input.*)';

export const splitPath = (path: string): string[] => path.split('.');

/** Returns why `path` is not an allowed variable reference, or undefined when it is. */
export const variablePathError = (path: string): string | undefined => {
  const segments = splitPath(path);
  if (path === '') return `variable path is empty ${ROOTS_HINT}`;
  if (segments.some((s) => s === '')) return `invalid variable path "${path}": empty segment`;
  const [root, second] = segments;
  if (root === 'output') return undefined;
  if (root === 'execution' && second === 'input') return undefined;
  if (root === 'step') {
    if (second === undefined) {
      return `variable "step" must name a field: step.${STEP_FIELDS.join(', step.')}, or step.output.*`;
    }
    if (second === 'output') return undefined;
    if (!STEP_FIELD_SET.has(second)) {
      return `unknown step field "${path}" (allowed: step.${STEP_FIELDS.join(', step.')}, step.output.*)`;
    }
    if (segments.length > 2) return `invalid variable path "${path}": step.${second} has no fields`;
    return undefined;
  }
  return `unknown variable root "${path}" ${ROOTS_HINT}`;
};

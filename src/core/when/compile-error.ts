/** Internal control flow for compilation; `compileWhen` turns it into `{ ok: false, message }`. */
export class WhenCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WhenCompileError';
  }
}

/** `location` is a path such as `args[0].args[1]`; the root has an empty location. */
export const compileError = (message: string, location = ''): WhenCompileError =>
  new WhenCompileError(location === '' ? message : `${message} (at ${location})`);

export const childLocation = (location: string, index: number, key = 'args'): string =>
  location === '' ? `${key}[${index}]` : `${location}.${key}[${index}]`;

export const depthError = (max: number): string => `expression is nested too deeply (max depth ${max})`;

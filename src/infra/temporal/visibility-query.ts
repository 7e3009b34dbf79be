/** Visibility queries take string literals; user-supplied values are escaped, never spliced raw. */
export const quote = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export const and = (...clauses: Array<string | false | undefined>): string =>
  clauses.filter((clause): clause is string => Boolean(clause)).join(' AND ');

/**
 * The text that identifies a person, as patterns that match it as a whole word in any case: a client called
 * "Al" must not turn a coach's "total" into "tot[erased client]", nor a neighbour called "Alan" into "[erased client]n".
 */
const escape = (text: string) => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** For JavaScript (Redis values). */
export function wholeWord(needle: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escape(needle)}(?![\\p{L}\\p{N}_])`, 'iu');
}

/** For PostgreSQL's `~*` and `regexp_replace(…, 'gi')` (advanced regular expressions). */
export function wholeWordSql(needle: string): string {
  return `(?<![[:alnum:]_])${escape(needle)}(?![[:alnum:]_])`;
}

export const htmlEscaped = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Inside a JSON string a name is written with JSON escapes. */
export const jsonEscaped = (text: string) => JSON.stringify(text).slice(1, -1);

/**
 * A copy of `s` that does not pin the text it was cut from. V8 represents substrings of 13 or more
 * characters as slices of their parent, here the megabyte chunk of file text a line came from; a
 * long-lived structure (a repertoire, a memo) that kept such slices would keep whole chunks of the
 * file in memory.
 */
export function ownCopy(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

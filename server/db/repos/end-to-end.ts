/**
 * Rows read end to end: a statement that would give thousands of small rows, each with a blob (a buffer
 * allocated for each), gives its rows' columns as comma-separated lists and their blobs concatenated in
 * one, cut apart here into views of those bytes. `group_concat` keeps the bytes as stored (a Vantage
 * database is UTF-8, so text made of them casts back to the same bytes).
 */

const COMMA = 44;
const MINUS = 45;
const ZERO = 48;

/**
 * A list from `group_concat` of integers: digits, a minus sign at most, commas between. Read a character
 * at a time: splitting it makes a string of each number, and it is read for every hour of every check.
 */
export function numbers(list: string): number[] {
  const out: number[] = [];
  let n = 0;
  let sign = 1;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === COMMA) {
      out.push(sign * n);
      n = 0;
      sign = 1;
    } else if (c === MINUS) sign = -1;
    else n = n * 10 + c - ZERO;
  }
  out.push(sign * n);
  return out;
}

/** Blobs of the given lengths, end to end in `all`. */
export function cutBytes(lengths: readonly number[], all: Uint8Array): Uint8Array[] {
  return cut(lengths, all, (from, to) => all.subarray(from, to));
}

/**
 * Values of a column holding blobs or text, end to end in `all`: a blob's length is given as is, a text's
 * as -1 - its length in bytes (`END_TO_END_LENGTH`), and it is read back as the same text.
 */
export function cutBodies(lengths: readonly number[], all: Uint8Array): (Uint8Array | string)[] {
  const text = new TextDecoder();
  return cut(
    lengths.map((length) => (length < 0 ? -1 - length : length)),
    all,
    (from, to, i) =>
      (lengths[i] as number) < 0 ? text.decode(all.subarray(from, to)) : all.subarray(from, to),
  );
}

/** The length of a blob or text column as `cutBodies` reads it. */
export const END_TO_END_LENGTH = (column: string) =>
  `iif(typeof(${column}) = 'blob', length(${column}), -1 - octet_length(${column}))`;

function cut<T>(
  lengths: readonly number[],
  all: Uint8Array,
  view: (from: number, to: number, i: number) => T,
): T[] {
  const out: T[] = [];
  let at = 0;
  lengths.forEach((length, i) => {
    out.push(view(at, at + length, i));
    at += length;
  });
  if (at !== all.length) throw new Error(`rows read end to end as ${all.length} bytes, their lengths ${at}`);
  return out;
}

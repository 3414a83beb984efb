/**
 * A kept latency row's body: each vantage point's hours judged against the target as stretches (`s`:
 * from, to (hours after the unit's first hour) and 1 up / 0 down, flat), and the total-time histogram of
 * its hours, each weighted by the share of the hour inside the principle's hours (`h`: bucket, weight,
 * flat). Hours with no timed runs are in neither (unknown).
 *
 * Kept as bytes, a vantage point after another: its id (length, then UTF-8), the count of stretch values
 * and each as 16 bits, the count of histogram pairs and each as a 16-bit bucket and a 64-bit weight (all
 * little-endian). A year of every check is hundreds of thousands of rows: read as bytes they cost a
 * fraction of what parsing JSON costs, and the weights come back exactly. Rows kept before were JSON
 * (`{"site": {"s": [...], "h": [...]}}`) and are still read as such.
 */
export interface VantageSummary {
  s: number[];
  h: number[];
}

/** Stretch values are hours within a month and buckets fewer than a hundred: 16 bits hold either. */
const MAX_SHORT = 0xffff;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeBody(summaries: Iterable<readonly [string, VantageSummary]>): Uint8Array {
  const parts: { id: Uint8Array; s: readonly number[]; h: readonly number[] }[] = [];
  let size = 0;
  for (const [vp, { s, h }] of summaries) {
    const id = encoder.encode(vp);
    parts.push({ id, s, h });
    size += 2 + id.length + 2 + 2 * s.length + 2 + 10 * (h.length / 2);
  }
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  let at = 0;
  const short = (value: number) => {
    if (!Number.isInteger(value) || value < 0 || value > MAX_SHORT)
      throw new Error(`a kept row's value ${value} is not a 16-bit count`);
    view.setUint16(at, value, true);
    at += 2;
  };
  for (const { id, s, h } of parts) {
    short(id.length);
    bytes.set(id, at);
    at += id.length;
    short(s.length);
    for (const value of s) short(value);
    short(h.length / 2);
    for (let i = 0; i + 1 < h.length; i += 2) {
      short(h[i] as number);
      view.setFloat64(at, h[i + 1] as number, true);
      at += 8;
    }
  }
  return bytes;
}

/** Calls `visit` with each vantage point's summary, in the order kept. */
export function eachSummary(
  body: string | Uint8Array,
  visit: (vantagePoint: string, s: number[], h: number[]) => void,
): void {
  if (typeof body === 'string') {
    for (const [vp, { s, h }] of Object.entries(JSON.parse(body) as Record<string, VantageSummary>))
      visit(vp, s, h);
    return;
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  let at = 0;
  while (at < body.byteLength) {
    const idLength = view.getUint16(at, true);
    at += 2;
    const vp = idOf(body, at, idLength);
    at += idLength;
    const sLength = view.getUint16(at, true);
    at += 2;
    const s = new Array<number>(sLength);
    for (let i = 0; i < sLength; i++, at += 2) s[i] = view.getUint16(at, true);
    const pairs = view.getUint16(at, true);
    at += 2;
    const h = new Array<number>(pairs * 2);
    for (let i = 0; i < pairs; i++, at += 10) {
      h[2 * i] = view.getUint16(at, true);
      h[2 * i + 1] = view.getFloat64(at + 2, true);
    }
    visit(vp, s, h);
  }
}

/** Ids are slugs: plain ASCII is read a character a byte, anything else as UTF-8. */
function idOf(bytes: Uint8Array, from: number, length: number): string {
  let id = '';
  for (let i = from; i < from + length; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return decoder.decode(bytes.subarray(from, from + length));
    id += String.fromCharCode(byte);
  }
  return id;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseEstate, validateLocated, validWithoutLocations } from '../../server/config/load.js';
import { demoText } from '../helpers/estates.js';

const valid = demoText();
const lines = valid.split('\n');

/** Either success, or errors that each have a line and column inside the file and a message. */
function expectLocatedOrValid(text: string): void {
  // The fast path may only accept what the located path accepts, and must read it the same way.
  const fast = validWithoutLocations(text, {});
  if (fast) expect(validateLocated(text, 'mutated.yaml', {})).toEqual(fast);
  const result = parseEstate(text, 'mutated.yaml', {});
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  const lineCount = text.split('\n').length;
  for (const error of result.errors) {
    expect(error.file).toBe('mutated.yaml');
    expect(error.line).toBeGreaterThanOrEqual(1);
    expect(error.line).toBeLessThanOrEqual(lineCount);
    expect(error.col).toBeGreaterThanOrEqual(1);
    expect(error.message.trim().length).toBeGreaterThan(0);
  }
}

const textEdit = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 12 }) }),
  fc.record({
    kind: fc.constant('delete-chars' as const),
    at: fc.nat(),
    count: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);
type TextEdit = typeof textEdit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(source: string[], edit: TextEdit): string[] {
  const out = [...source];
  const i = edit.at % out.length;
  switch (edit.kind) {
    case 'delete-line':
      out.splice(i, 1);
      break;
    case 'duplicate-line':
      out.splice(i, 0, out[i] ?? '');
      break;
    case 'swap-lines': {
      const j = edit.other % out.length;
      [out[i], out[j]] = [out[j] ?? '', out[i] ?? ''];
      break;
    }
    case 'insert':
    case 'delete-chars': {
      const line = out[i] ?? '';
      const col = edit.at % (line.length + 1);
      out[i] =
        edit.kind === 'insert'
          ? line.slice(0, col) + edit.text + line.slice(col)
          : line.slice(0, col) + line.slice(col + edit.count);
      break;
    }
    case 'indent': {
      const line = out[i] ?? '';
      out[i] =
        edit.by >= 0
          ? ' '.repeat(edit.by) + line
          : line.slice(Math.min(-edit.by, line.length - line.trimStart().length));
      break;
    }
  }
  return out;
}

describe('estate validation under random mutation', () => {
  it('never throws on text edits: success or located errors', () => {
    fc.assert(
      fc.property(fc.array(textEdit, { minLength: 1, maxLength: 4 }), (edits) => {
        expectLocatedOrValid(edits.reduce(applyEdit, lines).join('\n'));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when any value is replaced by any other value', () => {
    const doc = parseDocument(valid);
    const paths: (string | number)[][] = [];
    const collect = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) collect(item, [...path, i]);
      } else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) collect(v, [...path, k]);
    };
    collect(doc.toJS(), []);
    fc.assert(
      fc.property(
        fc.constantFrom(...paths.filter((p) => p.length > 0)),
        fc.jsonValue({ maxDepth: 2 }),
        (path, value) => {
          const mutated = parseDocument(valid);
          mutated.setIn(path, value);
          expectLocatedOrValid(mutated.toString());
        },
      ),
      { numRuns: 300 },
    );
  });
});

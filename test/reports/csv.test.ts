import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../server/reports/canonical.js';
import { csvCell, csvOf } from '../../server/reports/csv.js';

describe('CSV of a report table', () => {
  it('quotes what holds a quote, comma or line break, doubling quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('St Anne\'s, "north" wing')).toBe('"St Anne\'s, ""north"" wing"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('carriage\r\nreturn')).toBe('"carriage\r\nreturn"');
    expect(csvCell('"')).toBe('""""');
  });

  it("keeps a spreadsheet from running text as a formula: = + - @ tab and return start with '", () => {
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(
      '"\'=HYPERLINK(""http://evil.example"",""x"")"',
    );
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tindent')).toBe("'\tindent");
    expect(csvCell('\rback')).toBe('"\'\rback"');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers (a negative stays one), and nothing for null', () => {
    expect(csvCell(-3.85)).toBe('-3.85');
    expect(csvCell(99.5)).toBe('99.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(false)).toBe('false');
  });

  it('ends every row, the last too, with CRLF', () => {
    expect(
      csvOf(
        ['a', 'b'],
        [
          [1, 'x,y'],
          [null, '=1'],
        ],
      ),
    ).toBe('a,b\r\n1,"x,y"\r\n,\'=1\r\n');
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth, leaves out undefined members and keeps arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});

import { type LineCounter, Parser, type YAMLError } from 'yaml';
import type { Position } from './locate.js';

export interface SyntaxMistake extends Position {
  message: string;
}

/**
 * The YAML parser's errors as the mistakes a person made: one per mistake, at its line. The parser
 * reports one slip several times over (a tab indent is also "nested mappings" and "implicit keys"
 * on the same line), and where it noticed rather than where it was made (an unclosed `{` on the
 * line after it; a line indented one space too far on the line above, whose value it seemed to
 * continue).
 */
export function syntaxMistakes(
  text: string,
  errors: readonly YAMLError[],
  lines: LineCounter,
): SyntaxMistake[] {
  const sorted = [...errors].sort((a, b) => a.pos[0] - b.pos[0]);
  const groups: YAMLError[][] = [];
  for (const error of sorted) {
    const group = groups.at(-1);
    const first = group?.[0];
    if (group && first && (sameLine(first, error, lines) || error.pos[0] < (group.at(-1)?.pos[1] ?? 0))) {
      group.push(error);
    } else groups.push([error]);
  }
  const tokens = openings(text);
  return groups.map((group) => mistake(pick(group), tokens, text, lines));
}

/** The error of a group that says most about the mistake. */
function pick(group: YAMLError[]): YAMLError {
  // A quote left open swallows what follows, a closing bracket included: it is the cause.
  const quote = group.find((error) => /^Missing closing ["']/.test(error.message));
  if (quote) return quote;
  for (const code of PREFERRED) {
    const found = group.find((error) => error.code === code);
    if (found) return found;
  }
  return group[0] as YAMLError;
}

const PREFERRED = ['TAB_AS_INDENT', 'MULTILINE_IMPLICIT_KEY', 'BAD_INDENT', 'MISSING_CHAR'] as const;

function mistake(error: YAMLError, tokens: Openings, text: string, lines: LineCounter): SyntaxMistake {
  const message = `YAML: ${firstLine(error.message)}`;
  const quoted = /^Missing closing (["'])/.exec(error.message);
  if (quoted) {
    // The parser notices at the end of the file; the quote was opened, and left open, earlier.
    const opened = tokens.quoted.filter(([start, end]) => start < error.pos[0] && end >= error.pos[0]).at(-1);
    if (opened) {
      return { ...lines.linePos(opened[0]), message: `YAML: this ${quoted[1]} is never closed` };
    }
  }
  if (error.code === 'BAD_INDENT' && /^Flow (map|sequence)/.test(error.message)) {
    // Said where the bracket was opened: that line lacks the closing one.
    const opened = tokens.unclosed.filter((offset) => offset < error.pos[0]).at(-1);
    if (opened !== undefined) {
      const bracket = text[opened] === '{' ? ['{', '}'] : ['[', ']'];
      const noticed = lines.linePos(error.pos[0]).line;
      return {
        ...lines.linePos(opened),
        message: `YAML: this ${bracket[0]} is not closed: a ${bracket[1]} is missing before line ${noticed}`,
      };
    }
  }
  if (error.code === 'MULTILINE_IMPLICIT_KEY') {
    // The parser took the line before as a value running on into this one, which holds the ':'.
    const end = lines.linePos(error.pos[1]);
    const lineStart = lines.lineStarts[end.line - 1] ?? 0;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0].length ?? 0;
    return {
      line: end.line,
      col: indent + 1,
      message:
        'YAML: this line is read as going on from the value above it: indent its key as the keys beside it are',
    };
  }
  return { ...lines.linePos(error.pos[0]), message };
}

interface Openings {
  /** Offsets of each `{` or `[` that the document never closes. */
  unclosed: number[];
  /** The start and end offsets of each quoted text. */
  quoted: [number, number][];
}

function openings(text: string): Openings {
  const found: Openings = { unclosed: [], quoted: [] };
  const walk = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    const token = node as {
      type?: string;
      offset?: number;
      source?: string;
      start?: { offset: number };
      end?: { type: string }[];
    };
    if (token.type === 'flow-collection' && token.start) {
      const closed = token.end?.some((end) => end.type === 'flow-map-end' || end.type === 'flow-seq-end');
      if (!closed) found.unclosed.push(token.start.offset);
    }
    if (
      (token.type === 'double-quoted-scalar' || token.type === 'single-quoted-scalar') &&
      token.offset !== undefined
    ) {
      found.quoted.push([token.offset, token.offset + (token.source?.length ?? 0)]);
    }
    for (const value of Object.values(node)) walk(value);
  };
  for (const token of new Parser().parse(text)) walk(token);
  found.unclosed.sort((a, b) => a - b);
  found.quoted.sort((a, b) => a[0] - b[0]);
  return found;
}

function sameLine(a: YAMLError, b: YAMLError, lines: LineCounter): boolean {
  return lines.linePos(a.pos[0]).line === lines.linePos(b.pos[0]).line;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

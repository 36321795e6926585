/**
 * How deeply a YAML text nests, found before the library composes it: its
 * composer recurses once per level and overflows the stack near 800 levels
 * ("Maximum call stack size exceeded", at a column that means nothing). The scan
 * reads the library's own lexer tokens (iterative, so it cannot overflow) and
 * stops at the first token that goes deeper than MAX_DEPTH.
 *
 * Depth is flow nesting (`[`, `{`) plus block nesting: the columns at which the
 * lines' nodes begin, kept as a stack of increasing indents (a `- ` or `? ` on a
 * line opens a level at its own column, so `- - - x` is three levels deep). It
 * can count one level more than the composer would (a scalar is not a level);
 * the bound leaves room for that.
 */
import { CST, Lexer } from 'yaml';
import { MAX_DEPTH } from './limits';

/** Token types that begin a node (a plain scalar's source has no type). */
const NODE_START = new Set<string | null>([
  null,
  'single-quoted-scalar',
  'double-quoted-scalar',
  'block-scalar-header',
  'alias',
  'anchor',
  'tag',
  'seq-item-ind',
  'explicit-key-ind',
  'flow-seq-start',
  'flow-map-start',
]);

/** Marker tokens the lexer adds that are not in the source. */
const MARKERS = new Set(['doc-mode', 'flow-error-end', 'scalar']);

/** The offset of the first token nested deeper than MAX_DEPTH, or -1. */
export function yamlTooDeepAt(text: string): number {
  let offset = 0;
  let flow = 0;
  const indents: number[] = [];
  let lineStart = 0;
  /** The next node on this line opens a block level: the line's first, or one after `- ` or `? `. */
  let opensLevel = true;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type !== null && MARKERS.has(type)) continue;
    const at = offset;
    offset += token.length;
    if (type === 'flow-seq-end' || type === 'flow-map-end') {
      if (flow > 0) flow--;
      continue;
    }
    if (flow === 0 && opensLevel && NODE_START.has(type)) {
      const col = at - lineStart;
      while (indents.length && indents[indents.length - 1] >= col) indents.pop();
      indents.push(col);
      opensLevel = type === 'seq-item-ind' || type === 'explicit-key-ind';
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    if (indents.length + flow > MAX_DEPTH) return at;
    const nl = token.lastIndexOf('\n');
    if (nl >= 0) {
      lineStart = at + nl + 1;
      opensLevel = true;
    }
  }
  return -1;
}

/**
 * A scenario's YAML text to plain values, with the errors of ./parse.ts: a
 * position for every problem (syntax, duplicate keys, an alias before its
 * anchor, too many aliases, nesting too deep), and the library never printing
 * anything itself. Every check is linear in the size of the text (the library's
 * own duplicate-key and alias checks are quadratic, so they are done here).
 */
import { LineCounter, parseDocument, visit, isAlias, isMap, isNode, isScalar, type YAMLError } from 'yaml';
import { lineCol, oneLine } from './text-position';
import { quote, ScenarioError } from './values';
import { MAX_ALIASES, TOO_DEEP } from './limits';
import { yamlTooDeepAt } from './yaml-depth';

/** Values that the aliases of one document may expand to, at most. */
const ALIAS_EXPANSION = 10 * MAX_ALIASES;

/** The reason of a YAML error, in our own words where the library's wording names its own API. */
function describeYamlError(err: YAMLError): string {
  if (err.code === 'MULTIPLE_DOCS') return 'a scenario is a single YAML document (found a second one)';
  return oneLine(err.message);
}

export function readYaml(text: string): unknown {
  const lineCounter = new LineCounter();
  const deep = yamlTooDeepAt(text);
  if (deep >= 0) {
    const { line, col } = lineCol(text, deep);
    throw new ScenarioError('$', `invalid YAML at line ${line}, column ${col}: ${TOO_DEEP}`);
  }
  const doc = parseDocument(text, {
    lineCounter,
    // Checked below in one pass: the library compares each key with every earlier
    // one (a 1 MB mapping took 74 s).
    uniqueKeys: false,
    prettyErrors: false,
    // Above `warn`, so that the library never prints to the console itself.
    logLevel: 'error',
  });
  const at = (pos: number): string => {
    const { line, col } = lineCounter.linePos(pos);
    return `line ${Math.max(line, 1)}, column ${col}`;
  };
  const first = doc.errors[0];
  if (first) {
    throw new ScenarioError('$', `invalid YAML at ${at(first.pos[0])}: ${describeYamlError(first)}`);
  }
  // One walk in document order finds the first of: a key repeated in a mapping (as
  // a property name: `1` and `"1"` are the same key once read), an alias to an
  // anchor defined later or never (toJS() would fail without a position), too many
  // aliases. The anchors seen so far are kept in a set: the library's own `resolve`
  // walks the whole document once per alias (20,000 aliases took 28 s).
  const anchors = new Set<string>();
  let aliases = 0;
  let problem: { reason: string; pos: number } | undefined;
  visit(doc, (_key, node) => {
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (keys.has(key)) {
          problem = { pos: pair.key.range?.[0] ?? 0, reason: `duplicate key ${quote(key)}` };
          return visit.BREAK;
        }
        keys.add(key);
      }
    }
    if (isAlias(node)) {
      const pos = node.range?.[0] ?? 0;
      if (++aliases > MAX_ALIASES) {
        problem = { pos, reason: `more than ${MAX_ALIASES} aliases (a scenario needs a few at most)` };
        return visit.BREAK;
      }
      if (!anchors.has(node.source)) {
        problem = { pos, reason: `unresolved alias *${node.source} (the anchor must be set before the alias)` };
        return visit.BREAK;
      }
    } else if (isNode(node) && node.anchor) {
      anchors.add(node.anchor);
    }
    return undefined;
  });
  if (problem) throw new ScenarioError('$', `invalid YAML at ${at(problem.pos)}: ${problem.reason}`);
  try {
    // The library's bound on what aliases expand to ("billion laughs": an alias of a
    // list of aliases of lists...); few aliases can still expand exponentially.
    return doc.toJS({ maxAliasCount: ALIAS_EXPANSION }) as unknown;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/alias count/i.test(message)) throw new ScenarioError('$', `invalid YAML: its aliases expand to more than ${ALIAS_EXPANSION} values`);
    throw new ScenarioError('$', `invalid YAML: ${oneLine(message)}`);
  }
}

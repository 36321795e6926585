/**
 * A scenario's JSON text to plain values. Our own scan first, iterative (so that
 * deep nesting cannot overflow the stack), because V8's messages do not always
 * give a position and JSON.parse silently keeps the last of duplicate keys.
 */
import { lineCol, oneLine } from './text-position';
import { quote, ScenarioError } from './values';
import { MAX_DEPTH, TOO_DEEP } from './limits';

export function readJson(text: string): unknown {
  const problem = scanJson(text);
  if (problem) {
    const { line, col } = lineCol(text, problem.pos);
    throw new ScenarioError('$', `invalid JSON at line ${line}, column ${col}: ${problem.reason}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // Not expected once the scan has passed; kept so that nothing escapes untyped.
    throw new ScenarioError('$', `invalid JSON: ${oneLine(e instanceof Error ? e.message : String(e))}`);
  }
}

/** A JSON number (sticky: matches only at lastIndex). */
const JSON_NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

interface JsonProblem {
  pos: number;
  reason: string;
}

/**
 * Checks JSON syntax (RFC 8259) and that no object has the same key twice.
 * Iterative, so deeply nested input cannot overflow the stack. Returns the
 * first problem or null.
 */
function scanJson(text: string): JsonProblem | null {
  const n = text.length;
  let i = 0;
  // One entry per open container: the keys seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  type Mode = 'value' | 'firstValue' | 'key' | 'firstKey' | 'after';
  let mode: Mode = 'value';

  const describe = (at: number): string => (at >= n ? 'the end of the input' : quote(text[at]));
  const fail = (reason: string, pos = i): JsonProblem => ({ pos, reason });
  const skipWs = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i++;
    }
  };
  /** Scans a string starting at text[i] === '"'; leaves i after the closing quote. */
  const scanString = (): JsonProblem | null => {
    const start = i;
    i++;
    for (;;) {
      if (i >= n) return fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c === 0x0a || c === 0x0d) return fail('unterminated string (a line break inside a string must be written \\n)');
      if (c < 0x20) return fail(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} in a string`);
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === undefined) return fail('unterminated string', start);
        if ('"\\/bfnrt'.includes(e)) {
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          i += 6;
        } else {
          return fail(`a backslash followed by ${quote(e)} is not a valid escape`);
        }
      } else {
        i++;
      }
    }
  };
  const scanNumber = (): JsonProblem | null => {
    const start = i;
    JSON_NUMBER.lastIndex = start;
    const m = JSON_NUMBER.exec(text);
    if (!m) return fail('invalid number');
    i += m[0].length;
    // `01`, `1.`, `1e`: the regex stopped early on something a number cannot hold.
    if (i < n && /[0-9.eE]/.test(text[i])) return fail('invalid number', start);
    return null;
  };

  for (;;) {
    skipWs();
    if (mode === 'value' || mode === 'firstValue') {
      if (i >= n) return fail('unexpected end of input');
      const c = text[i];
      if (mode === 'firstValue' && c === ']') {
        i++;
        stack.pop();
        mode = 'after';
      } else if ((c === '{' || c === '[') && stack.length >= MAX_DEPTH) {
        return fail(TOO_DEEP);
      } else if (c === '{') {
        stack.push(new Set());
        i++;
        mode = 'firstKey';
      } else if (c === '[') {
        stack.push(null);
        i++;
        mode = 'firstValue';
      } else if (c === '"') {
        const p = scanString();
        if (p) return p;
        mode = 'after';
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        const p = scanNumber();
        if (p) return p;
        mode = 'after';
      } else {
        const lit = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
        if (!lit) return fail(`expected a value, found ${describe(i)}`);
        i += lit.length;
        mode = 'after';
      }
      continue;
    }
    if (mode === 'key' || mode === 'firstKey') {
      if (mode === 'firstKey' && text[i] === '}') {
        i++;
        stack.pop();
        mode = 'after';
        continue;
      }
      if (text[i] !== '"') return fail(`expected a property name in double quotes, found ${describe(i)}`);
      const start = i;
      const p = scanString();
      if (p) return p;
      const key = JSON.parse(text.slice(start, i)) as string;
      const keys = stack[stack.length - 1];
      if (keys) {
        if (keys.has(key)) return fail(`duplicate key ${quote(key)}`, start);
        keys.add(key);
      }
      skipWs();
      if (text[i] !== ':') return fail(`expected ":" after the property name, found ${describe(i)}`);
      i++;
      mode = 'value';
      continue;
    }
    // mode === 'after': a complete value has been read.
    if (stack.length === 0) {
      return i < n ? fail(`unexpected ${describe(i)} after the end of the document`) : null;
    }
    const inObject = stack[stack.length - 1] !== null;
    const close = inObject ? '}' : ']';
    if (i >= n) return fail('unexpected end of input');
    if (text[i] === ',') {
      i++;
      mode = inObject ? 'key' : 'value';
    } else if (text[i] === close) {
      i++;
      stack.pop();
    } else {
      return fail(`expected "," or "${close}", found ${describe(i)}`);
    }
  }
}

/**
 * Where in a scenario's text a problem is, and its message on one line: what
 * the JSON and YAML readers need to say "at line L, column C: reason".
 */

/** The first line of a message, trimmed. */
export function oneLine(s: string): string {
  return s.split(/\r?\n/, 1)[0].trim();
}

/** 1-based line and column of a UTF-16 offset. */
export function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: pos - lineStart + 1 };
}

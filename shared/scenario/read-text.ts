/**
 * A scenario's text (JSON or YAML) to plain values, before any rule of the format
 * is checked: the size bounded, the byte order mark dropped, the format told
 * apart, and every problem a ScenarioError at `$` with its line and column.
 */
import { ScenarioError } from './values';
import { MAX_TEXT_LENGTH } from './limits';
import { readJson } from './read-json';
import { readYaml } from './read-yaml';

export interface ParseOptions {
  /** `auto` (the default): JSON when the first non-space character is `{`, else YAML. */
  format?: 'json' | 'yaml' | 'auto';
}

/** Reads a scenario's text (JSON or YAML) into plain values, with the same errors as `parseScenario`. */
export function readScenarioText(text: string, opts: ParseOptions = {}): unknown {
  if (text.length > MAX_TEXT_LENGTH) {
    throw new ScenarioError('$', `too large: ${text.length} characters, a scenario may have at most ${MAX_TEXT_LENGTH}`);
  }
  // A byte order mark is not part of the document (JSON.parse would reject it).
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let format = opts.format ?? 'auto';
  if (format === 'auto') format = body.trimStart().startsWith('{') ? 'json' : 'yaml';
  return format === 'json' ? readJson(body) : readYaml(body);
}

/**
 * Filtering and sorting of the Tasks table, kept out of the component so that it can
 * be tested without a DOM and reused by the timeline's filter. Text search takes
 * space-separated terms that must all match; a term `field:value` (kind:, runtime:,
 * tenant:, timeline:, state:, name:, id:) matches one field, a bare term matches any.
 * Facets pick exact values. Sorting is stable, missing values last, ties by id.
 */
import type { Task, TaskState } from './task';

export type SortKey =
  | 'id'
  | 'state'
  | 'name'
  | 'kind'
  | 'placement'
  | 'tenant'
  | 'timeline'
  | 'spawn'
  | 'age'
  | 'sinceShutdown'
  | 'warnings';

export interface SortSpec {
  key: SortKey;
  descending: boolean;
}

export interface Facets {
  kind: string | null;
  runtime: string | null;
  tenant: string | null;
  state: TaskState | null;
}

export const NO_FACETS: Facets = { kind: null, runtime: null, tenant: null, state: null };

type Term = { field: string | null; value: string };

function parseTerms(text: string): Term[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => {
      const i = w.indexOf(':');
      return i > 0 ? { field: w.slice(0, i), value: w.slice(i + 1) } : { field: null, value: w };
    });
}

function fieldText(t: Task, field: string): string | null {
  switch (field) {
    case 'name':
      return t.name;
    case 'id':
      return String(t.id);
    case 'kind':
      return t.kind;
    case 'runtime':
      return t.placement;
    case 'tenant':
      return t.tenant ?? '';
    case 'timeline':
      return t.timeline ?? '';
    case 'state':
      return `${t.state} ${t.stateLabel}`;
    default:
      return null;
  }
}

const ANY_FIELDS = ['name', 'id', 'kind', 'runtime', 'tenant', 'timeline', 'state'];

/** A predicate for the text box and the facets. */
export function taskMatcher(text: string, facets: Facets): (t: Task) => boolean {
  const terms = parseTerms(text);
  return (t) => {
    if (facets.kind !== null && t.kind !== facets.kind) return false;
    if (facets.runtime !== null && t.runtime !== facets.runtime) return false;
    if (facets.tenant !== null && t.tenant !== facets.tenant) return false;
    if (facets.state !== null && t.state !== facets.state) return false;
    for (const term of terms) {
      const fields = term.field !== null && ANY_FIELDS.includes(term.field) ? [term.field] : ANY_FIELDS;
      const value = term.field !== null && !ANY_FIELDS.includes(term.field) ? `${term.field}:${term.value}` : term.value;
      let hit = false;
      for (const f of fields) {
        const s = fieldText(t, f);
        if (s !== null && s.toLowerCase().includes(value)) {
          hit = true;
          break;
        }
      }
      if (!hit) return false;
    }
    return true;
  };
}

type Key = number | string | null;

function sortValue(t: Task, key: SortKey): Key {
  switch (key) {
    case 'id':
      return t.id;
    case 'state':
      return t.stateOrder;
    case 'name':
      return t.name;
    case 'kind':
      return t.kind;
    case 'placement':
      return t.worker === null ? `${t.runtime}/~` : `${t.runtime}/${String(t.worker).padStart(6, '0')}`;
    case 'tenant':
      return t.tenant;
    case 'timeline':
      return t.timeline;
    case 'spawn':
      return t.rec.spawnIdx;
    case 'age':
      return t.age;
    case 'sinceShutdown':
      return t.sinceShutdownRequested;
    case 'warnings':
      return t.warnings.length === 0 ? null : t.warnings.length;
  }
}

/** Sorts in place and returns the array. */
export function sortTasks(tasks: Task[], spec: SortSpec): Task[] {
  const dir = spec.descending ? -1 : 1;
  // Decorate once: the keys of 10k tasks are computed 10k times, not n log n times.
  const keyed = tasks.map((t) => ({ t, k: sortValue(t, spec.key) }));
  keyed.sort((a, b) => {
    if (a.k === b.k) return a.t.id - b.t.id;
    if (a.k === null) return 1; // missing values last in both directions
    if (b.k === null) return -1;
    // Plain code-unit order: localeCompare is ~50x slower on 10k rows.
    const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : a.k < b.k ? -1 : 1;
    return c !== 0 ? c * dir : a.t.id - b.t.id;
  });
  for (let i = 0; i < keyed.length; i++) tasks[i] = keyed[i].t;
  return tasks;
}

/** Counts of each facet value among `tasks`, for the facet menus. */
export function facetCounts(tasks: readonly Task[]): Record<keyof Facets, Map<string, number>> {
  const out = { kind: new Map<string, number>(), runtime: new Map<string, number>(), tenant: new Map<string, number>(), state: new Map<string, number>() };
  const bump = (m: Map<string, number>, v: string | null): void => {
    if (v !== null) m.set(v, (m.get(v) ?? 0) + 1);
  };
  for (const t of tasks) {
    bump(out.kind, t.kind);
    bump(out.runtime, t.runtime);
    bump(out.tenant, t.tenant);
    bump(out.state, t.state);
  }
  return out;
}

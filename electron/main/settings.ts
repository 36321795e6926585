/**
 * The shell's small persistent settings (a JSON file in userData): the theme and
 * the recently opened files for File ▸ Open recent. Read leniently (a damaged file
 * gives the defaults), written whole.
 */
export type Theme = 'system' | 'light' | 'dark';
export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

export interface RecentFile {
  path: string;
  kind: 'scenario' | 'recording';
}

export interface ShellSettings {
  theme: Theme;
  recent: RecentFile[];
}

export const MAX_RECENT = 10;

export function defaultSettings(): ShellSettings {
  return { theme: 'system', recent: [] };
}

export function parseSettings(text: string | null): ShellSettings {
  const out = defaultSettings();
  if (!text) return out;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return out;
  }
  if (v === null || typeof v !== 'object') return out;
  const o = v as Record<string, unknown>;
  if (typeof o.theme === 'string' && (THEMES as readonly string[]).includes(o.theme)) out.theme = o.theme as Theme;
  if (Array.isArray(o.recent)) {
    for (const r of o.recent) {
      const ok = r && typeof r === 'object' && typeof r.path === 'string' && r.path.length < 4096 && (r.kind === 'scenario' || r.kind === 'recording');
      if (ok && out.recent.length < MAX_RECENT && !out.recent.some((x) => x.path === r.path)) out.recent.push({ path: r.path, kind: r.kind });
    }
  }
  return out;
}

/** The list with `file` first, without duplicates, at most MAX_RECENT long. */
export function addRecent(list: readonly RecentFile[], file: RecentFile): RecentFile[] {
  return [file, ...list.filter((r) => r.path !== file.path)].slice(0, MAX_RECENT);
}

export function serializeSettings(s: ShellSettings): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}

/**
 * The built renderer as files to serve: maps a URL path to a file inside the
 * renderer directory and names its content type. Used by the browser mode's HTTP
 * server and by the Electron window's `app://lab` protocol, so both refuse the same
 * things: paths that climb out of the directory (`..`, encoded or not), absolute or
 * drive paths, NUL bytes, and anything that is not a regular file.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, normalize, relative, sep } from 'node:path';

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `root`, or null if it names nothing there. `/`
 * is `index.html`. The path is percent-decoded once, as a browser encodes it.
 */
export function resolveInside(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const rel = decoded.replace(/^\/+/, '') || 'index.html';
  if (isAbsolute(rel) || /^[A-Za-z]:/.test(rel)) return null;
  const file = normalize(join(root, rel));
  const back = relative(root, file);
  if (back === '' || back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back)) return null;
  return file;
}

export interface StaticFile {
  body: Buffer;
  type: string;
}

/** Reads the file a URL path names, or null (missing, a directory, outside the root). */
export async function readStatic(root: string, pathname: string): Promise<StaticFile | null> {
  const file = resolveInside(root, pathname);
  if (!file) return null;
  try {
    if (!(await stat(file)).isFile()) return null;
    return { body: await readFile(file), type: contentType(file) };
  } catch {
    return null;
  }
}

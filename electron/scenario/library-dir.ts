/**
 * Where the built-in scenarios live beside the sources (one JSON file each). The CLI
 * and the Lab read them from here; the packaged app copies them beside its main
 * bundle and says so (`LabOptions.libraryDir`).
 */
import { join } from 'node:path';

export const LIBRARY_DIR = join(__dirname, 'library');

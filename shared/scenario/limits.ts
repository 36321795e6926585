/**
 * How big a scenario file may be (DESIGN.md section 7: a run's input is bounded,
 * so that no file can freeze the backend). Each bound is far above what a real
 * scenario needs and is checked before the costly work, with one clear error.
 */

/** Nesting of objects and arrays (a scenario needs about 8; YAML's composer overflows the stack near 800). */
export const MAX_DEPTH = 64;

/** The reason given for a document nested deeper than MAX_DEPTH. */
export const TOO_DEEP = `nested deeper than ${MAX_DEPTH} levels`;

/** Aliases (`*name`) in a YAML scenario: each is one more value to expand ("billion laughs"). */
export const MAX_ALIASES = 100;

/** A scenario's text, in UTF-16 code units (about 1 MB; the largest built-in scenario is under 20 kB). */
export const MAX_TEXT_LENGTH = 1024 * 1024;

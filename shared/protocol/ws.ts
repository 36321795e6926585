/**
 * The browser mode's wire format for the Lab API over one WebSocket
 * (`ws://127.0.0.1:PORT/lab?token=TOKEN`): the client sends numbered requests, the
 * server answers each by number and pushes events and status in between. The page
 * itself is served at `http://127.0.0.1:PORT/?token=TOKEN`; the server refuses any
 * request (HTTP or WebSocket) without the token or with a foreign Host or Origin.
 */
import type { LabPush, LabRequest, LabResult, LabRequestType } from './lab';

export const WS_PATH = '/lab';

export type ClientFrame = { id: number; req: LabRequest };

export type ServerFrame =
  /** The answer to request `id`; id null answers a frame whose id could not be read. */
  | { id: number | null; result: LabResult<LabRequestType> }
  | { push: LabPush };

/** Reads a client frame's envelope; the request inside is checked by validateLabRequest. */
export function parseClientFrame(text: string): { id: number; req: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('frame: not JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('frame: expected an object');
  const { id, req } = value as { id?: unknown; req?: unknown };
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new Error('frame: id must be a whole number');
  return { id, req };
}

/**
 * The IPC channels between the preload and the main process, in one place so that
 * both ends use the same names. Plain constants: the main process imports them
 * without pulling in the preload.
 */
export const IPC = {
  /** invoke: a Lab request; answers a LabResult. */
  request: 'lab:request',
  /** send: start pushes to this window (the whole current log first). */
  subscribe: 'lab:subscribe',
  /** send: stop pushes to this window. */
  unsubscribe: 'lab:unsubscribe',
  /** main to window: one LabPush. */
  push: 'lab:push',
  /** send: the window has handled a push (backpressure: main waits for it). */
  ack: 'lab:ack',
  /** main to window: a MenuCommand. */
  menu: 'lab:menu',
} as const;

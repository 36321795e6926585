// The child side of the Electron stand-in's utilityProcess (./electron.ts): loaded
// with --require before the worker entry, it gives the process what an Electron
// utility process has, `process.parentPort` (messages arrive as `{ data }` events),
// over the IPC channel of child_process.fork; and, as a utility process, the child
// ends when its parent goes.
'use strict';
const { EventEmitter } = require('node:events');

const port = new EventEmitter();
port.postMessage = (message) => {
  // A parent that went away meanwhile fails the send with EPIPE; 'disconnect' ends us.
  if (process.connected) process.send(message, () => {});
};
process.on('message', (data) => port.emit('message', { data }));
process.on('disconnect', () => process.exit(0));
Object.defineProperty(process, 'parentPort', { value: port, enumerable: false });

export * from './task-kind';
export * from './runtime';
export * from './outcome';
export * from './pageserver';

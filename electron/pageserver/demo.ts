/**
 * The default scenario of `npm start` (`taskmgr-lab demo`) and of the app's first
 * run: a small pageserver with two tenants doing work (WAL, flushes, uploads,
 * compaction, GC, page requests), ready for the user to detach, delete, inject and
 * shut down. It lives in the scenario library under this name.
 */
export const DEMO_SCENARIO = 'pageserver-demo';

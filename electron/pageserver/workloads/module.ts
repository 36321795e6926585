/**
 * The module a pool worker loads (`workloadsModule`) to run the pageserver's
 * workloads in live mode: it exports them as `workloads`.
 */
export { PAGESERVER_WORKLOADS as workloads } from './index';

export { releaseResource } from './release-resource';
export { decommissionSweep } from './decommission-sweep';
export { batchRelease } from './batch-release';

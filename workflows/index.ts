export { releaseResource } from './release-resource';

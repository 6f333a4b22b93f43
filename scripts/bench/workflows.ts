// The bench's workflow bundle: the product's workflows, and the floor they are measured against.
export * from '../../workflows';
export { releaseFloor } from './floor';

export { definitionWorkflow } from './definition-workflow';

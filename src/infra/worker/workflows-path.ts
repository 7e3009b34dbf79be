import path from 'node:path';
import { PROJECT_ROOT } from '../tools/tool-paths';

export const WORKFLOWS_PATH = path.join(PROJECT_ROOT, 'workflows', 'index.ts');

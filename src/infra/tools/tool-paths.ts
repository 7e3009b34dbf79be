import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Git-ignored, project-local folder for built tools; override with APPROVAL_TOOLS_DIR. */
export const toolsDir = (): string => process.env.APPROVAL_TOOLS_DIR ?? path.join(PROJECT_ROOT, '.tools');

/** Git-ignored data folder of the development stack (SQLite history, dev credentials). */
export const dataDir = (): string => process.env.APPROVAL_DATA_DIR ?? path.join(PROJECT_ROOT, '.data');

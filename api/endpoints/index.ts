import type { Endpoint } from '../endpoint';

export const ENDPOINTS: readonly Endpoint[] = [];

// distribution.js — income distribution results per unit (stats.results).
import { get } from './http';

export const distribution = (q) => get('/api/distribution', q);                           // stats.results

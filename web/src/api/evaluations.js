// evaluations.js — evaluation runs, rankings, a unit's indicators, targets and the overview (eval.*).
import { get, post } from './http';

export const listRuns = (q) => get('/api/evaluations', { paging: false, ...q });          // eval.runs
export const showRun = (id, q) => get(`/api/evaluations/${id}`, { paging: false, ...q }); // eval.show
export const runUnit = (id, unit) => get(`/api/evaluations/${id}/units/${encodeURIComponent(unit)}`); // eval.unit
export const startRun = (b) => post('/api/evaluations', b);                                // eval.run
export const targets = (q) => get('/api/targets', { paging: false, ...q });               // eval.targets
export const overview = (q) => get('/api/overview', q);                                    // eval.overview

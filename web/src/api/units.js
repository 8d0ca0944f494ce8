// units.js — the administrative units (units.list) and the organisation (org.*).
import { get } from './http';

export const listUnits = (q) => get('/api/units', { paging: false, ...q });   // units.list
export const listTeams = (q) => get('/api/teams', { paging: false, ...q });   // org.teams

// households.js — low-income household monitoring (households.*).
import { get, post } from './http';

const seg = encodeURIComponent;
export const listHouseholds = (q) => get('/api/households', q);                           // households.list
export const showHousehold = (code, q) => get(`/api/households/${seg(code)}`, q);         // households.show
export const householdAlerts = (q) => get('/api/households/alerts', q);                   // households.alerts
export const householdCoverage = (q) => get('/api/households/coverage', { paging: false, ...q }); // households.coverage
export const recordVisit = (code, b) => post(`/api/households/${seg(code)}/visits`, b);   // households.visit

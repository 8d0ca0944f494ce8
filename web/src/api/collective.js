// collective.js — the village collective economy (collective.*): ledgers, enterprises, enclaves.
import { get } from './http';

export const listCollective = (q) => get('/api/collective', q);                           // collective.list
export const listVillageEnterprises = (q) => get('/api/collective/enterprises', q);       // collective.enterprises
export const listEnclaves = (q) => get('/api/collective/enclaves', q);                    // collective.enclaves
export const showCollective = (unit) => get(`/api/collective/${encodeURIComponent(unit)}`); // collective.show

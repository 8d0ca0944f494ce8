// pairing.js — pairings of organisations (pairing.*): departments and enterprises with villages,
// partner counties; their money, activity, alerts and coverage.
import { get } from './http';

export const listPairings = (q) => get('/api/pairings', q);                             // pairing.list
export const listPairingAlerts = (q) => get('/api/pairings/alerts', q);                 // pairing.alerts
export const pairingCoverage = (q) => get('/api/pairings/coverage', q);                 // pairing.coverage
export const showPairing = (code) => get(`/api/pairings/${encodeURIComponent(code)}`); // pairing.show

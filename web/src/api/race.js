// race.js — the horse race and its publications (race.*, publications.*).
import { get, post } from './http';

export const race = (q) => get('/api/race', { paging: false, ...q });                     // race.run
export const publishRace = (b) => post('/api/race/publish', b);                           // race.publish
export const listPublications = (q) => get('/api/publications', { paging: false, ...q }, { quiet401: true }); // publications.list
export const showPublication = (id) => get(`/api/publications/${id}`, undefined, { quiet401: true });      // publications.show

// problems.js — problems raised against list items and units (problems.*).
import { get, post } from './http';

export const listProblems = (q) => get('/api/problems', q);                               // problems.list
export const showProblem = (id) => get(`/api/problems/${id}`);                            // problems.show
export const raiseProblem = (b) => post('/api/problems', b);                              // problems.raise
export const rectifyProblem = (id, b) => post(`/api/problems/${id}/rectify`, b);          // problems.rectify
export const verifyProblem = (id, b) => post(`/api/problems/${id}/verify`, b);            // problems.verify
export const reopenProblem = (id, b) => post(`/api/problems/${id}/reopen`, b);            // problems.reopen

// voice.js — the public's suggestions (voice.*): send one without signing in, read the published
// answers; the centre reads them all and turns one into a problem or a draft case, or answers it.
import { get, post } from './http';

export const submitSuggestion = (body) => post('/api/suggestions', body);                     // voice.submit
export const listAnswers = () => get('/api/suggestions/published');                           // voice.published
export const listSuggestions = (q) => get('/api/suggestions', q);                             // voice.list
export const suggestionToProblem = (id, b) => post(`/api/suggestions/${id}/problem`, b);      // voice.problem
export const suggestionToCase = (id, b) => post(`/api/suggestions/${id}/case`, b);            // voice.case
export const answerSuggestion = (id, b) => post(`/api/suggestions/${id}/answer`, b);          // voice.answer

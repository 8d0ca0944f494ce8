// voice.js — the public's suggestions (voice.*): send one without signing in, read the published answers.
import { get, post } from './http';

export const submitSuggestion = (body) => post('/api/suggestions', body);        // voice.submit
export const listAnswers = () => get('/api/suggestions/published');              // voice.published

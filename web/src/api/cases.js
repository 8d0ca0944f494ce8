// cases.js — the case library (cases.*) and training records (trainings.*).
import { get, post, request } from './http';

export const listCases = (q) => get('/api/cases', q);                                          // cases.list
export const listPublishedCases = (q) => get('/api/cases/published', q);                         // cases.public
export const showCase = (code) => get(`/api/cases/${encodeURIComponent(code)}`);               // cases.show
export const advanceCase = (code, b) => post(`/api/cases/${encodeURIComponent(code)}/status`, b); // cases.status
export const listTrainings = (q) => get('/api/trainings', q);                                  // trainings.list
export const trainingSummary = (q) => get('/api/trainings/summary', q);                        // trainings.summary
export const attachmentUrl = (code, name) => `/api/cases/${encodeURIComponent(code)}/attachments/${encodeURIComponent(name)}`; // cases.attachment
export const attachFile = (code, file) => request('POST', `/api/cases/${encodeURIComponent(code)}/attachments`, {
  query: { filename: file.name }, raw: file, contentType: 'application/octet-stream',
});                                                                                              // cases.attach
export const detachFile = (code, name) => post(`${attachmentUrl(code, name)}/delete`, {});      // cases.detach

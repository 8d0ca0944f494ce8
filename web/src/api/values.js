// values.js — indicator values: the data-entry form, saving, submitting, approving (values.*).
import { get, post, put } from './http';

const seg = encodeURIComponent;
export const listValues = (q) => get('/api/values', q);                                   // values.list
export const valueForm = (q) => get('/api/values/form', q);                               // values.form
export const setValue = (unit, indicator, period, b) =>
  put(`/api/values/${seg(unit)}/${seg(indicator)}/${seg(period)}`, b);                     // values.set
export const submitValues = (b) => post('/api/values/submit', b);                         // values.submit
export const approvalQueue = (q) => get('/api/approvals', { paging: false, ...q });       // values.queue
export const approveValues = (b) => post('/api/values/approve', b);                       // values.approve
export const returnValues = (b) => post('/api/values/return', b);                         // values.return

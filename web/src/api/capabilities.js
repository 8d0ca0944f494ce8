// capabilities.js — which operations this server offers, from its OpenAPI description (generated
// from the operation table, so it is the truth).  A page asks before it calls an operation, so a
// server without it gets a clear notice instead of a failed request.
import { get } from './http';

let ops = null;
let loading = null;

export function loadCapabilities() {
  if (ops) return Promise.resolve(ops);
  if (!loading) {
    loading = get('/api/openapi.json', undefined, { quiet401: true }).then((doc) => {
      ops = new Set();
      for (const item of Object.values(doc.paths || {}))
        for (const op of Object.values(item)) if (op && op.operationId) ops.add(op.operationId.replace(/_/g, '.'));
      return ops;
    }).finally(() => { loading = null; });
  }
  return loading;
}

/** 1 when the server has the operation named as in docs/api.md ("households.list"). */
export function hasOp(name) {
  return !!ops && ops.has(name);
}

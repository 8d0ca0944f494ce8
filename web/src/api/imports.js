// imports.js — file uploads with an import summary (import.file).
import { request } from './http';

export const importFile = (kind, file, dryRun) =>
  request('POST', `/api/imports/${encodeURIComponent(kind)}`, {
    query: { dry_run: dryRun ? 'true' : undefined, filename: file.name },
    raw: file,
    contentType: /\.json$/i.test(file.name) ? 'application/octet-stream' : 'text/csv',
  });

/* cases.h — the case library (典型案例) and training records (培训).
 *
 * Records (schema_cases.c), imported with the usual rules (all or nothing, errors naming file,
 * line, field, value and what was expected):
 *   cases               a case: code, title, unit, themes (free-text tags separated by commas,
 *                       "，", "、" or ";"), summary, date, note, and the list items and
 *                       indicators it shows (columns items and indicators: codes separated the
 *                       same way; the row's lists replace the case's links).  A new case is a
 *                       draft; the import never changes a status: gf_case_advance does;
 *   trainings           a training course: code, course, start, end (dates), the organiser (team,
 *                       unit or both), place, note;
 *   training_attendees  who attended: training, person (one row a person and training).
 *
 * A case moves draft → recommended → published, one step at a time and never back
 * (gf_case_advance), each move audited with the date it took effect. */
#ifndef GF_CASES_H
#define GF_CASES_H

#include "store/db.h"
#include "util/table.h"

/* The statuses of a case in order, with their labels ({NULL}-ended). */
extern const struct gf_code_label gf_case_statuses[];

/* Move case `code` to the next status: to (may be NULL: the next one) must be that next status —
 * skipping one or going back is refused (GF_EUSER, saying which is next); date (NULL: today) is
 * when it took effect, not after today.  One transaction with its audit record.  from and to_out
 * (each at least 16 bytes) receive the statuses.  GF_ENOTFOUND for an unknown case. */
int gf_case_advance(struct gf_db *db, const char *actor, const char *code, const char *to,
                    const char *date, char *from, char *to_out, struct gf_err *e);

/* A new draft case made outside an import (a suggestion of the public worth spreading): code
 * (not yet used: GF_ECONFLICT), title, unit (an existing one), themes (separated as in an
 * import), summary and note (may be NULL).  Written and audited in the caller's transaction. */
int gf_case_draft(struct gf_db *db, const char *actor, const char *code, const char *title,
                  const char *unit, const char *themes, const char *summary, const char *note,
                  struct gf_err *e);

/* Attachments (附件) of a case: a photo (.jpg, .jpeg, .png), a PDF or an office document (.docx,
 * .xlsx, .pptx) or plain text (.txt), 1 byte to GF_CASE_ATTACH_MAX, whose content matches its
 * extension (the file's first bytes); the name (1–120 bytes, no "/", "\\", quote or control
 * character, not starting with ".") is the file's.  A name the case holds already is replaced.
 * One transaction with its audit record (name, media type, size, SHA-256 — not the content). */
#define GF_CASE_ATTACH_MAX (20u << 20)
int gf_case_attach(struct gf_db *db, const char *actor, const char *code, const char *name,
                   const void *data, size_t n, struct gf_err *e);
/* Remove attachment name of case code (GF_ENOTFOUND when there is none); audited. */
int gf_case_detach(struct gf_db *db, const char *actor, const char *code, const char *name,
                   struct gf_err *e);
/* The media type of an attachment name ("application/pdf"), or NULL for an extension not taken. */
const char *gf_case_media_type(const char *name);

#endif

/* outfile.h — write an output file so that nothing is lost on the way: never over a database
 * file, and never half-written.
 *
 * The data goes to a temporary file in the target's directory; gf_outfile_commit flushes it,
 * fsyncs it and renames it over the target, so a reader sees the old file or the whole new one,
 * and on any error (or gf_outfile_abort) the target is untouched.  An existing target keeps its
 * permissions; a symbolic link is followed (the file it names is replaced).
 * Ownership: the caller owns the struct; after gf_outfile_open succeeds, exactly one of
 * gf_outfile_commit or gf_outfile_abort must be called (both release everything).
 */
#ifndef GF_OUTFILE_H
#define GF_OUTFILE_H

#include <stdio.h>

#include "util/err.h"

struct gf_outfile {
    FILE *fp;   /* write here */
    char *path; /* the target (symbolic links resolved) */
    char *tmp;  /* the temporary file in the same directory */
};

/* Start writing path.  Refuses (GF_EUSER, nothing created) a path that is a directory or an
 * existing SQLite database file (it starts with the SQLite header): output never replaces data.
 * Callers that have a database open also refuse its files first (store/db.h gf_db_owns_file). */
int gf_outfile_open(struct gf_outfile *o, const char *path, struct gf_err *e);
/* Finish: flush, fsync, rename into place, fsync the directory.  On failure the temporary file
 * is removed and the target is untouched. */
int gf_outfile_commit(struct gf_outfile *o, struct gf_err *e);
/* Give up: remove the temporary file; the target is untouched. */
void gf_outfile_abort(struct gf_outfile *o);

#endif

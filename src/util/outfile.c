/* outfile.c — output files written to a temporary file and renamed into place (outfile.h). */
#include "util/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first 16 bytes of every SQLite database file (its file format, section 1.3.1). */
static const char sqlite_header[16] = "SQLite format 3";

static int is_sqlite_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char head[16];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    return n == (ssize_t)sizeof head && !memcmp(head, sqlite_header, sizeof head);
}

static void release(struct gf_outfile *o)
{
    free(o->path);
    free(o->tmp);
    o->fp = NULL;
    o->path = o->tmp = NULL;
}

int gf_outfile_open(struct gf_outfile *o, const char *path, struct gf_err *e)
{
    *o = (struct gf_outfile){0};
    struct stat sb;
    int exists = stat(path, &sb) == 0; /* follows links: what would be written */
    if (!exists && lstat(path, &sb) == 0)
        return gf_err_set(e, GF_EUSER, "%s: a symbolic link to a missing file", path);
    if (exists && S_ISDIR(sb.st_mode))
        return gf_err_set(e, GF_EUSER, "%s: is a directory, expected a file to write", path);
    if (exists && !S_ISREG(sb.st_mode)) {
        /* a device or a pipe (/dev/stdout, /dev/null): a stream, nothing there to lose */
        if (!(o->fp = fopen(path, "w")))
            return gf_err_set(e, GF_EUSER, "%s: cannot write (%s)", path, strerror(errno));
        if (!(o->path = strdup(path))) {
            fclose(o->fp);
            o->fp = NULL;
            return gf_err_set(e, GF_ENOMEM, "out of memory");
        }
        return GF_OK;
    }
    /* replace the file a link names, not the link */
    char real[PATH_MAX];
    o->path = strdup(exists && realpath(path, real) ? real : path);
    if (!o->path)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    if (exists && is_sqlite_file(o->path)) {
        release(o);
        return gf_err_set(e, GF_EUSER,
                          "%s is a database file: refusing to write output over it (choose "
                          "another file name)",
                          path);
    }
    size_t n = strlen(o->path) + sizeof ".gongfu-XXXXXX";
    if (!(o->tmp = malloc(n))) {
        release(o);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    snprintf(o->tmp, n, "%s.gongfu-XXXXXX", o->path);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int err = errno;
        release(o);
        return gf_err_set(e, GF_EUSER, "%s: cannot write a file in its directory (%s)", path,
                          strerror(err));
    }
    mode_t mask = umask(0);
    umask(mask);
    /* the new file gets the old one's permissions, or those a plain create would give */
    fchmod(fd, exists ? (sb.st_mode & 07777) : (0666 & ~mask));
    if (!(o->fp = fdopen(fd, "w"))) {
        close(fd);
        gf_outfile_abort(o);
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    }
    return GF_OK;
}

/* fsync the directory holding path, so the rename itself survives a crash. */
static int sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int gf_outfile_commit(struct gf_outfile *o, struct gf_err *e)
{
    if (!o->tmp) { /* a stream */
        int bad = fflush(o->fp) != 0 || ferror(o->fp);
        bad |= fclose(o->fp) != 0;
        int rc = bad ? gf_err_set(e, GF_ESYS, "%s: write failed", o->path) : GF_OK;
        release(o);
        return rc;
    }
    int err = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
        err = errno ? errno : EIO;
    if (fclose(o->fp) != 0 && !err)
        err = errno;
    o->fp = NULL;
    if (!err && rename(o->tmp, o->path) != 0)
        err = errno;
    if (err) {
        int rc = gf_err_set(e, GF_ESYS, "%s: write failed (%s); the file is unchanged", o->path,
                            strerror(err));
        unlink(o->tmp);
        release(o);
        return rc;
    }
    sync_dir(o->path);
    release(o);
    return GF_OK;
}

void gf_outfile_abort(struct gf_outfile *o)
{
    if (o->fp)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    release(o);
}

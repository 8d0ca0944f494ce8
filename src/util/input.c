/* input.c — opening input files: "-" for standard input, the OS reason when a path cannot be read.
 */
#include "util/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *gf_input_name(const char *path)
{
    return strcmp(path, "-") ? path : GF_INPUT_STDIN_NAME;
}

int gf_input_open_fd(const char *path, int *fd, struct gf_err *e)
{
    *fd = -1;
    if (!strcmp(path, "-")) {
        *fd = 0;
        return GF_OK;
    }
    int d = open(path, O_RDONLY | O_CLOEXEC);
    int err = errno;
    struct stat st;
    /* open() succeeds on a directory; reading it would fail later with a bare "read error" */
    if (d >= 0 && fstat(d, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(d);
        d = -1;
        err = EISDIR;
    }
    if (d < 0)
        return gf_err_set(e, GF_EUSER, "%s: cannot open: %s", path, strerror(err));
    *fd = d;
    return GF_OK;
}

int gf_input_open(const char *path, FILE **fp, struct gf_err *e)
{
    *fp = NULL;
    if (!strcmp(path, "-")) {
        *fp = stdin;
        return GF_OK;
    }
    int fd;
    int rc = gf_input_open_fd(path, &fd, e);
    if (rc)
        return rc;
    if (!(*fp = fdopen(fd, "rb"))) {
        int err = errno;
        close(fd);
        return gf_err_set(e, GF_ESYS, "%s: cannot open: %s", path, strerror(err));
    }
    return GF_OK;
}

void gf_input_close(FILE *fp)
{
    if (fp && fp != stdin)
        fclose(fp);
}

int gf_input_read_rest(FILE *fp, const char *name, const char *head, size_t nhead, size_t max,
                       char **out, size_t *len, struct gf_err *e)
{
    size_t cap = nhead + 4096, n = nhead;
    char *buf = malloc(cap);
    *out = NULL;
    *len = 0;
    if (!buf)
        return gf_err_set(e, GF_ENOMEM, "out of memory");
    if (nhead)
        memcpy(buf, head, nhead);
    for (;;) {
        if (n + 1 == cap) {
            if (n > max)
                break; /* too long: refused below */
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                return gf_err_set(e, GF_ENOMEM, "out of memory");
            }
            buf = b;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - 1 - n, fp);
        n += k;
        if (k == 0)
            break;
    }
    int err = ferror(fp) ? errno : 0;
    if (err || n > max) {
        free(buf);
        if (err)
            return gf_err_set(e, GF_ESYS, "%s: read error: %s", name, strerror(err));
        return gf_err_at(e, name, 0, NULL, NULL, "a file of at most %zu bytes", max);
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return GF_OK;
}

int gf_input_read_file(const char *path, size_t max, char **out, size_t *len, struct gf_err *e)
{
    FILE *fp;
    int rc = gf_input_open(path, &fp, e);
    if (rc)
        return rc;
    rc = gf_input_read_rest(fp, gf_input_name(path), NULL, 0, max, out, len, e);
    gf_input_close(fp);
    return rc;
}

/* fuzz_csvscan.c — the fast CSV scanner on arbitrary bytes: field splitting, number parsing
 * (also the fast path's plain and short numbers), the separator index and the chunked file
 * reader never crash, never read out of bounds, and a number that parses agrees with strtod. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/csvscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* split: the scanner's contract is a buffer whose lines end in '\n' */
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\n';
    struct gf_csvscan_field f[16];
    for (char *p = buf, *end = buf + size + 1; p && p < end;) {
        int nf;
        char *next = gf_csvscan_split(p, f, 16, &nf);
        if (!next)
            break;
        for (int k = 0; k < nf && k < 16; k++) {
            double v;
            if (gf_csvscan_double(f[k].p, f[k].len, &v) == 0 && f[k].len < 100) {
                char tmp[128];
                memcpy(tmp, f[k].p, f[k].len);
                tmp[f[k].len] = 0;
                double w = strtod(tmp, NULL);
                if (memcmp(&v, &w, sizeof v) != 0 && !(v == 0 && w == 0))
                    abort(); /* must be correctly rounded, like strtod */
            }
        }
        p = next;
    }
    /* the fast path's helpers from every position: no read at or past the end (the buffer is
     * exactly as long as the data), and a plain number is strtod's */
    memcpy(buf, data, size);
    buf[size] = '\n';
    for (size_t i = 0; i <= size; i++) {
        const char *p = buf + i, *end = buf + size + 1;
        double v;
        const char *e = gf_csvscan_plain_number(p, end, &v);
        if (e && (*e == ',' || *e == '\n') && e - p < 100) {
            char tmp[128];
            memcpy(tmp, p, (size_t)(e - p));
            tmp[e - p] = 0;
            double w = strtod(tmp, NULL);
            if (memcmp(&v, &w, sizeof v) != 0)
                abort();
        }
        /* a short number is strtod's (8 bytes readable from p: the copy below) */
        size_t len = 0;
        while (i + len <= size && len < 12 && buf[i + len] != ',' && buf[i + len] != '\n')
            len++;
        char s8[32];
        memset(s8, ',', sizeof s8);
        memcpy(s8, p, len);
        if (gf_csvscan_short_number(s8, len, &v) == 0) {
            char tmp[16];
            memcpy(tmp, p, len);
            tmp[len] = 0;
            double w = strtod(tmp, NULL);
            if (memcmp(&v, &w, sizeof v) != 0)
                abort();
        }
    }
    /* the separator index, by every build this CPU runs: offsets ascending, each of a byte below
     * '-', every such byte listed, line ends at their '\n' entries */
    if (size < 65536) {
        uint32_t *sep = malloc(sizeof *sep * (size + 16));
        uint32_t *lines = malloc(sizeof *lines * (size + 1));
        int builds = 1 + gf_csvscan__seps_build(-1);
        for (int b = 0; sep && lines && b < builds; b++) {
            gf_csvscan__seps_build(b);
            size_t nl, n = gf_csvscan_seps(buf, size, sep, lines, &nl), below = 0, nls = 0;
            for (size_t i = 0; i < size; i++) {
                below += (unsigned char)buf[i] < 0x2D;
                nls += buf[i] == '\n';
            }
            if (n != below || nl != nls)
                abort();
            for (size_t k = 0; k < n; k++)
                if (sep[k] >= size || (unsigned char)buf[sep[k]] >= 0x2D ||
                    (k && sep[k] <= sep[k - 1]))
                    abort();
            for (size_t l = 0; l < nl; l++)
                if ((lines[l] & ~GF_CSVSCAN_ODD) >= n ||
                    buf[sep[lines[l] & ~GF_CSVSCAN_ODD]] != '\n')
                    abort();
        }
        gf_csvscan__seps_build(-1);
        free(sep);
        free(lines);
    }
    free(buf);
    /* the file reader, for one input in 100 (each run sets up a 5 MiB chunk buffer) */
    static unsigned calls;
    if (calls++ % 100 != 0)
        return 0;
    char path[] = "/tmp/fuzz_csvscan_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) == (ssize_t)size) {
        struct gf_csvscan *s;
        struct gf_err e;
        if (gf_csvscan_open(&s, path, &e) == GF_OK) {
            struct gf_csvscan_chunk c = {0};
            while (gf_csvscan_next(s, &c, &e) == 1)
                if (c.len == 0 || c.buf[c.len - 1] != '\n')
                    abort(); /* chunks are whole lines */
            gf_csvscan_chunk_free(&c);
            gf_csvscan_close(s);
        }
    }
    close(fd);
    unlink(path);
    return 0;
}

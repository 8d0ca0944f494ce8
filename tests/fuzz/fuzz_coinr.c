/* fuzz_coinr.c — the CSV readers of the evaluation engine and the methods on arbitrary bytes.
 * "iMeta text \x1e iData text" (record separator): both go to temporary files, are read by
 * gf_eval_coinr_read and, when they read, scored by two pipelines.  Without a separator the
 * input is a plain matrix: read by gf_eval_matrix_read, then entropy, CRITIC, TOPSIS, Copeland. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "domain/eval_coinr.h"
#include "domain/eval_pipeline.h"

static int write_tmp(char *path, const uint8_t *p, size_t n)
{
    int fd = mkstemp(path);
    if (fd < 0)
        return -2; /* no file was created */
    size_t off = 0;
    while (off < n) {
        ssize_t w = write(fd, p + off, n - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(fd);
    return off == n ? 0 : -1;
}

static void score(const struct gf_eval_coinr *md, const char *json)
{
    struct gf_eval_pipeline p;
    struct gf_eval_result r;
    struct gf_err e;
    if (gf_eval_pipeline_parse(json, strlen(json), "fuzz", &p, &e) != GF_OK)
        abort(); /* the built-in texts are valid */
    struct gf_eval_input in = {md->n,    md->m,      md->x,
                               md->ind,  &md->tree,  md->den,
                               md->nden, md->group,  md->nper ? md->panel : NULL,
                               md->nper, md->ngroup, (const char *const *)md->grpcode.v};
    if (gf_eval_run(&p, &in, &r, &e) == GF_OK)
        gf_eval_result_free(&r);
}

static void matrix(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/gf_fuzz_mxXXXXXX";
    int rc = write_tmp(path, data, size);
    if (rc == 0) {
        struct gf_eval_matrix mx;
        struct gf_err e;
        if (gf_eval_matrix_read(path, &mx, &e) == GF_OK) {
            size_t n = mx.n, m = mx.m;
            double *w = malloc(m * sizeof *w), *out = malloc(n * sizeof *out);
            double *y = malloc(n * m * sizeof *y);
            if (w && out && y) {
                (void)gf_eval_weights_entropy(mx.x, n, m, GF_SHIFT_RESCALE, NULL, w, &e);
                gf_eval_weights_equal(m, w);
                (void)gf_eval_topsis(mx.x, n, m, w, NULL, 0, out, &e);
                (void)gf_eval_copeland(mx.x, n, m, w, out, &e);
                memcpy(y, mx.x, n * m * sizeof *y);
                struct gf_eval_norm nm;
                gf_eval_norm_default(&nm, GF_NORM_MINMAX);
                if (gf_eval_normalise(y, n, m, NULL, &nm, &e) == GF_OK)
                    (void)gf_eval_weights_critic(y, n, m, w, &e);
            }
            free(w);
            free(out);
            free(y);
            gf_eval_matrix_free(&mx);
        }
    }
    if (rc != -2)
        unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = memchr(data, 0x1e, size);
    if (!sep) {
        matrix(data, size);
        return 0;
    }
    char meta[] = "/tmp/gf_fuzz_metaXXXXXX", dat[] = "/tmp/gf_fuzz_dataXXXXXX";
    int rm = write_tmp(meta, data, (size_t)(sep - data));
    int rd = write_tmp(dat, sep + 1, size - (size_t)(sep - data) - 1);
    if (rm == 0 && rd == 0) {
        struct gf_eval_coinr md;
        struct gf_err e;
        if (gf_eval_coinr_read(meta, dat, NULL, &md, &e) == GF_OK) {
            score(&md, "{\"steps\":[{\"step\":\"impute\",\"method\":\"last\"},"
                       "{\"step\":\"impute\",\"method\":\"median\"},"
                       "{\"step\":\"normalise\",\"method\":\"attainment\",\"scale\":100}]}");
            score(&md, "{\"steps\":[{\"step\":\"screen\",\"threshold\":0.5},"
                       "{\"step\":\"impute\",\"method\":\"mean\"},{\"step\":\"treat\"},"
                       "{\"step\":\"normalise\",\"method\":\"minmax\",\"range\":[1,100]},"
                       "{\"step\":\"weight\",\"method\":\"entropy\",\"shift\":\"rescale\"},"
                       "{\"step\":\"aggregate\",\"method\":\"topsis\"}]}");
            gf_eval_coinr_free(&md);
        }
    }
    if (rm != -2)
        unlink(meta);
    if (rd != -2)
        unlink(dat);
    return 0;
}

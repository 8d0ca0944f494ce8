/* jobs.c — long work over HTTP: an evaluation with 10 000 draws, a microdata import, `stats --db`.
 *
 * The request is answered at once with 202 and the job's address; the job runs on its own thread
 * and connection, reports progress, and keeps its result (or error) for the user who started it
 * until 256 newer jobs have replaced it.  Jobs live in the server's memory: a restart forgets
 * them (their writes, once committed, stay). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "http/http_int.h"
#include "store/db.h"

#define KEEP 256

struct job {
    char id[33];
    int64_t owner;
    const struct gf_op *op;
    char state[12]; /* running, done, failed */
    double progress;
    char what[160];
    char *result;   /* the JSON of the result or the error */
    size_t len;
    int status;
    struct gf_ctx cx;
    struct gf_call call;
    char upload[64];
    char input_name[128];
    struct gf_jobs *jobs;
};

struct gf_jobs {
    struct gf_http *h;
    pthread_mutex_t m;
    struct job *slot[KEEP];
    int next;
};

struct gf_jobs *gf_jobs_new(struct gf_http *h)
{
    struct gf_jobs *j = calloc(1, sizeof *j);
    if (j) {
        j->h = h;
        pthread_mutex_init(&j->m, NULL);
    }
    return j;
}

static void job_free(struct job *b)
{
    if (!b)
        return;
    free(b->result);
    if (b->upload[0])
        unlink(b->upload);
    free(b);
}

void gf_jobs_free(struct gf_jobs *j)
{
    if (!j)
        return;
    /* running jobs hold their own slot; wait for them (they end with their work) */
    for (int i = 0; i < KEEP; i++) {
        for (;;) {
            pthread_mutex_lock(&j->m);
            int running = j->slot[i] && !strcmp(j->slot[i]->state, "running");
            pthread_mutex_unlock(&j->m);
            if (!running)
                break;
            usleep(50000);
        }
        job_free(j->slot[i]);
    }
    free(j);
}

static void progress(void *ctx, double done, const char *what)
{
    struct job *b = ctx;
    pthread_mutex_lock(&b->jobs->m);
    b->progress = done;
    snprintf(b->what, sizeof b->what, "%s", what ? what : "");
    pthread_mutex_unlock(&b->jobs->m);
}

static void *job_main(void *arg)
{
    struct job *b = arg;
    struct gf_http *h = b->jobs->h;
    struct gf_db *db = NULL;
    struct gf_req fake = {0};
    int rc = gf_db_open_existing(&db, h->o->db_path, &b->call.err);
    if (rc == GF_OK) {
        b->cx.db = db;
        b->cx.units = NULL;
        rc = gf_call_run(&b->call);
    }
    if (rc == GF_OK) {
        gf_http_counters(h, db);
        fake.url = "/api/jobs";
        gf_api_result_reply(&fake, &b->call, 200);
    } else
        gf_reply_from_err(&fake.reply, &b->call.err, 0);
    pthread_mutex_lock(&b->jobs->m);
    b->result = fake.reply.body;
    b->len = fake.reply.len;
    b->status = fake.reply.status;
    snprintf(b->state, sizeof b->state, "%s", rc == GF_OK ? "done" : "failed");
    b->progress = 1;
    pthread_mutex_unlock(&b->jobs->m);
    fake.reply.body = NULL;
    gf_reply_free(&fake.reply);
    gf_call_release(&b->call);
    gf_ctx_release(&b->cx);
    gf_db_close(db);
    return NULL;
}

void gf_jobs_start(struct gf_jobs *j, struct gf_req *r)
{
    struct job *b = calloc(1, sizeof *b);
    if (!b) {
        gf_reply_error(&r->reply, 503, "busy", "out of memory", NULL);
        return;
    }
    unsigned char rnd[16];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(b->id, sizeof b->id, rnd, sizeof rnd);
    b->owner = r->actor.id;
    b->op = r->op;
    b->jobs = j;
    snprintf(b->state, sizeof b->state, "running");
    /* the job takes the call, its context and the uploaded file from the request */
    b->cx = r->cx;
    b->call = r->call;
    b->call.cx = &b->cx;
    r->call_ready = 0;
    if (r->upload_path[0]) {
        if (r->upload) {
            fclose(r->upload);
            r->upload = NULL;
        }
        memcpy(b->upload, r->upload_path, sizeof b->upload);
        r->upload_path[0] = 0;
        b->call.input = b->upload;
    }
    if (b->call.input_name) {
        snprintf(b->input_name, sizeof b->input_name, "%s", b->call.input_name);
        b->call.input_name = b->input_name;
    }
    b->call.progress = progress;
    b->call.progress_ctx = b;
    pthread_mutex_lock(&j->m);
    struct job *old = j->slot[j->next];
    if (old && !strcmp(old->state, "running")) { /* every slot busy: refuse rather than wait */
        pthread_mutex_unlock(&j->m);
        gf_call_release(&b->call);
        gf_ctx_release(&b->cx);
        job_free(b);
        gf_reply_error(&r->reply, 503, "busy", "too many jobs are running", NULL);
        return;
    }
    j->slot[j->next] = b;
    j->next = (j->next + 1) % KEEP;
    pthread_mutex_unlock(&j->m);
    job_free(old);
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &at, job_main, b)) {
        pthread_mutex_lock(&j->m);
        snprintf(b->state, sizeof b->state, "failed");
        pthread_mutex_unlock(&j->m);
    }
    pthread_attr_destroy(&at);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return;
    fprintf(f, "{\"job\": {\"id\": \"%s\", \"operation\": ", b->id);
    gf_json_string(f, b->op->name);
    fprintf(f, ", \"state\": \"running\", \"href\": \"/api/jobs/%s\"}}\n", b->id);
    fclose(f);
    gf_reply_json(&r->reply, 202, buf, len);
    char loc[64];
    snprintf(loc, sizeof loc, "/api/jobs/%s", b->id);
    r->reply.location = strdup(loc);
}

void gf_jobs_get(struct gf_jobs *j, struct gf_req *r, const char *id)
{
    char *buf = NULL;
    size_t len = 0;
    pthread_mutex_lock(&j->m);
    struct job *b = NULL;
    for (int i = 0; i < KEEP && !b; i++)
        if (j->slot[i] && !strcmp(j->slot[i]->id, id) && j->slot[i]->owner == r->actor.id)
            b = j->slot[i];
    FILE *f = b ? open_memstream(&buf, &len) : NULL;
    if (f) {
        fprintf(f, "{\"job\": {\"id\": \"%s\", \"operation\": ", b->id);
        gf_json_string(f, b->op->name);
        fprintf(f, ", \"state\": \"%s\", \"progress\": %.3f, \"step\": ", b->state, b->progress);
        gf_json_string(f, b->what);
        if (b->result) {
            fprintf(f, ", \"status\": %d, \"result\": ", b->status);
            fwrite(b->result, 1, b->len, f);
        }
        fputs("}}\n", f);
        fclose(f);
    }
    pthread_mutex_unlock(&j->m);
    if (!b)
        gf_reply_error(&r->reply, 404, "not_found", "no such job (or not yours)", "id");
    else
        gf_reply_json(&r->reply, 200, buf, len);
}

/* openapi.c — the OpenAPI 3 description, generated from the operation table that routes the
 * requests (so the two cannot drift), plus the door's own endpoints. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_int.h"

static json_t *ref(const char *name)
{
    char buf[128];
    snprintf(buf, sizeof buf, "#/components/schemas/%s", name);
    return json_pack("{s:s}", "$ref", buf);
}

static json_t *param_schema(const struct gf_param *p)
{
    switch (p->type) {
    case GF_PT_INT:
        return json_pack("{s:s}", "type", "integer");
    case GF_PT_NUM:
        return json_pack("{s:s}", "type", "number");
    case GF_PT_BOOL:
        return json_pack("{s:s}", "type", "boolean");
    case GF_PT_DATE:
        return json_pack("{s:s, s:s}", "type", "string", "format", "date");
    case GF_PT_CODE:
        return json_pack("{s:s, s:s, s:i}", "type", "string", "pattern", "^[0-9A-Za-z_.-]{1,64}$",
                         "maxLength", 64);
    case GF_PT_PERIOD:
        return json_pack("{s:s, s:s}", "type", "string", "pattern",
                         "^[0-9]{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$");
    case GF_PT_ENUM: {
        json_t *e = json_array();
        for (int k = 0; p->choices && p->choices[k]; k++)
            json_array_append_new(e, json_string(p->choices[k]));
        return json_pack("{s:s, s:o}", "type", "string", "enum", e);
    }
    default:
        return json_pack("{s:s, s:i}", "type", "string", "maxLength", 4000);
    }
}

static json_t *responses(int with_body)
{
    json_t *r = json_object();
    json_t *ok = json_pack("{s:s, s:{s:{s:o}}}", "description", "the result", "content",
                           "application/json", "schema", ref("Result"));
    json_object_set_new(r, with_body ? "200" : "200", ok);
    static const char *const codes[][2] = {
        {"400", "bad input (the field and the value are named)"},
        {"401", "not signed in, or the session has expired"},
        {"403", "the role or the scope does not allow it, or the CSRF token is missing"},
        {"404", "no such resource"},
        {"409", "the resource changed since it was read"},
        {"412", "If-Match names an old version"},
        {"413", "the body is larger than the limit"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        json_object_set_new(r, codes[i][0],
                            json_pack("{s:s, s:{s:{s:o}}}", "description", codes[i][1],
                                      "content", "application/json", "schema", ref("Error")));
    return r;
}

static void add_op(json_t *paths, const struct gf_op *op)
{
    json_t *item = json_object_get(paths, op->path);
    if (!item) {
        item = json_object();
        json_object_set_new(paths, op->path, item);
    }
    char method[8], opid[96], tag[48];
    size_t i;
    for (i = 0; op->method[i] && i < sizeof method - 1; i++)
        method[i] = (char)tolower((unsigned char)op->method[i]);
    method[i] = 0;
    snprintf(opid, sizeof opid, "%s", op->name);
    for (char *s = opid; *s; s++)
        if (*s == '.')
            *s = '_';
    snprintf(tag, sizeof tag, "%.*s", (int)strcspn(op->name, "."), op->name);
    json_t *o = json_pack("{s:s, s:s, s:s, s:[s]}", "operationId", opid, "summary", op->en,
                          "description", op->zh, "tags", tag);
    json_t *params = json_array(), *props = json_object(), *required = json_array();
    int reading = !strcmp(op->method, "GET");
    for (int k = 0; op->params && op->params[k].name; k++) {
        const struct gf_param *p = &op->params[k];
        if (p->flags & GF_PF_CLI)
            continue;
        json_t *schema = param_schema(p);
        if (p->flags & GF_PF_MULTI)
            schema = json_pack("{s:s, s:o}", "type", "array", "items", schema);
        char desc[512];
        snprintf(desc, sizeof desc, "%s (%s)", p->en, p->zh);
        char seg[48];
        snprintf(seg, sizeof seg, "{%s}", p->name);
        if (strstr(op->path, seg))
            json_array_append_new(params,
                                  json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", p->name, "in",
                                            "path", "required", 1, "description", desc, "schema",
                                            schema));
        else if (reading || op->input)
            json_array_append_new(
                params, json_pack("{s:s, s:s, s:b, s:s, s:o}", "name", p->name, "in", "query",
                                  "required", (p->flags & GF_PF_REQUIRED) != 0, "description",
                                  desc, "schema", schema));
        else {
            json_object_set_new(schema, "description", json_string(desc));
            json_object_set_new(props, p->name, schema);
            if (p->flags & GF_PF_REQUIRED)
                json_array_append_new(required, json_string(p->name));
        }
    }
    if (reading)
        for (int k = 0; k < 4; k++) {
            static const char *const n[] = {"page", "page_size", "sort", "paging"};
            static const char *const d[] = {"page number, from 1", "rows a page (default 50)",
                                            "column code to sort by; -code for descending",
                                            "false: every row on one page"};
            json_array_append_new(params,
                                  json_pack("{s:s, s:s, s:s, s:{s:s}}", "name", n[k], "in",
                                            "query", "description", d[k], "schema", "type",
                                            k < 2 ? "integer" : "string"));
        }
    json_object_set_new(o, "parameters", params);
    if (op->input) {
        json_object_set_new(
            o, "requestBody",
            json_pack("{s:b, s:{s:{s:{s:s, s:s}}, s:{s:{s:s, s:s}}, s:{s:{s:s, s:s}}}}",
                      "required", 1, "content", "text/csv", "schema", "type", "string", "format",
                      "binary", "application/x-ndjson", "schema", "type", "string", "format",
                      "binary", "application/octet-stream", "schema", "type", "string", "format",
                      "binary"));
        json_decref(props);
        json_decref(required);
    } else if (!reading) {
        json_object_set_new(props, "version",
                            json_pack("{s:s, s:s}", "type", "integer", "description",
                                      "optimistic concurrency: the version last read"));
        json_t *schema = json_pack("{s:s, s:o, s:b}", "type", "object", "properties", props,
                                   "additionalProperties", 0);
        if (json_array_size(required))
            json_object_set_new(schema, "required", required);
        else
            json_decref(required);
        json_object_set_new(o, "requestBody",
                            json_pack("{s:b, s:{s:{s:o}}}", "required", 0, "content",
                                      "application/json", "schema", schema));
    } else {
        json_decref(props);
        json_decref(required);
    }
    json_object_set_new(o, "responses", responses(1));
    if (op->kind == GF_OP_JOB)
        json_object_set_new(json_object_get(o, "responses"), "202",
                            json_pack("{s:s, s:{s:{s:o}}}", "description",
                                      "the job started; poll its href", "content",
                                      "application/json", "schema", ref("Job")));
    if (op->perm == GF_PERM_PUBLIC)
        json_object_set_new(o, "security", json_pack("[{}]"));
    json_object_set_new(item, method, o);
}

/* One of the door's own operations: its success status and schema, the usual errors. */
static json_t *door_op(const char *id, const char *summary, int public, const char *status,
                       const char *schema, json_t *body)
{
    json_t *o = json_pack("{s:s, s:s}", "operationId", id, "summary", summary);
    json_t *resp = json_object();
    json_object_set_new(resp, status,
                        json_pack("{s:s, s:{s:{s:o}}}", "description", summary, "content",
                                  "application/json", "schema", ref(schema)));
    static const char *const errs[][2] = {{"400", "bad input"},
                                          {"401", "not signed in, or wrong name or password"},
                                          {"403", "missing CSRF token"},
                                          {"429", "too many failed sign-ins: wait"}};
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++)
        json_object_set_new(resp, errs[i][0],
                            json_pack("{s:s, s:{s:{s:o}}}", "description", errs[i][1], "content",
                                      "application/json", "schema", ref("Error")));
    json_object_set_new(o, "responses", resp);
    if (public)
        json_object_set_new(o, "security", json_pack("[{}]"));
    if (body)
        json_object_set_new(o, "requestBody",
                            json_pack("{s:b, s:{s:{s:o}}}", "required", 1, "content",
                                      "application/json", "schema", body));
    return o;
}

static json_t *door_paths(void)
{
    json_t *p = json_object();
    json_object_set_new(
        p, "/api/login",
        json_pack("{s:o}", "post",
                  door_op("login", "sign in: sets the session cookie, returns the user and the "
                                   "CSRF token",
                          1, "200", "Session",
                          json_pack("{s:s, s:[s,s], s:{s:{s:s}, s:{s:s}}}", "type", "object",
                                    "required", "name", "password", "properties", "name", "type",
                                    "string", "password", "type", "string"))));
    json_object_set_new(p, "/api/logout",
                        json_pack("{s:o}", "post",
                                  door_op("logout", "sign out", 0, "200", "Result", NULL)));
    json_object_set_new(
        p, "/api/session",
        json_pack("{s:o}", "get",
                  door_op("session", "the signed-in user and the CSRF token", 0, "200", "Session",
                          NULL)));
    json_object_set_new(
        p, "/api/tokens",
        json_pack("{s:o}", "post",
                  door_op("token_create", "a bearer token for scripts (shown once)", 0, "201",
                          "Token",
                          json_pack("{s:s, s:{s:{s:s}}}", "type", "object", "properties", "label",
                                    "type", "string"))));
    json_t *job = door_op("job_get", "a job's state, progress and result", 0, "200", "Job", NULL);
    json_object_set_new(job, "parameters",
                        json_pack("[{s:s, s:s, s:b, s:{s:s}}]", "name", "id", "in", "path",
                                  "required", 1, "schema", "type", "string"));
    json_object_set_new(p, "/api/jobs/{id}", json_pack("{s:o}", "get", job));
    json_object_set_new(p, "/api/health",
                        json_pack("{s:o}", "get",
                                  door_op("health", "the server answers", 1, "200", "Result",
                                          NULL)));
    return p;
}

static json_t *schemas(void)
{
    json_t *cell = json_pack("{s:[s,s,s]}", "type", "string", "number", "null");
    json_t *row = json_pack("{s:s, s:o}", "type", "object", "additionalProperties", cell);
    json_t *s = json_object();
    json_object_set_new(s, "Row", row);
    json_object_set_new(
        s, "Pager",
        json_pack("{s:s, s:[s,s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}", "type", "object",
                  "required", "page", "page_size", "total", "page_count", "properties", "page",
                  "type", "integer", "page_size", "type", "integer", "total", "type", "integer",
                  "page_count", "type", "integer"));
    json_object_set_new(
        s, "Result",
        json_pack("{s:s, s:s, s:{s:o, s:{s:s}, s:{s:s}, s:{s:s}}, s:{s:[o,{s:s, s:o},{s:s}]}}",
                  "type", "object", "description",
                  "named sections: a list of rows, or one row as an object; with a pager for "
                  "lists, a message for people, the id and version of what was written",
                  "properties", "pager", ref("Pager"), "message", "type", "string", "id", "type",
                  "integer", "version", "type", "integer", "additionalProperties", "anyOf",
                  ref("Row"), "type", "array", "items", ref("Row"), "type", "null"));
    json_object_set_new(
        s, "Error",
        json_pack("{s:s, s:[s], s:{s:{s:s, s:[s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}}}",
                  "type", "object", "required", "error", "properties", "error", "type", "object",
                  "required", "status", "code", "message", "properties", "status", "type",
                  "integer", "code", "type", "string", "message", "type", "string", "field",
                  "type", "string"));
    json_object_set_new(
        s, "Session",
        json_pack("{s:s, s:[s,s], s:{s:{s:s}, s:{s:[s,s]}}}", "type", "object", "required", "user",
                  "csrf", "properties", "user", "type", "object", "csrf", "type", "string", "null"));
    json_object_set_new(
        s, "Job",
        json_pack("{s:s, s:[s], s:{s:{s:s, s:[s,s,s], s:{s:{s:s}, s:{s:s}, s:{s:s, s:[s,s,s]},"
                  " s:{s:s}}}}}",
                  "type", "object", "required", "job", "properties", "job", "type", "object",
                  "required", "id", "operation", "state", "properties", "id", "type", "string",
                  "operation", "type", "string", "state", "type", "string", "enum", "running",
                  "done", "failed", "progress", "type", "number"));
    json_object_set_new(
        s, "Token",
        json_pack("{s:s, s:[s], s:{s:{s:s}, s:{s:s}}}", "type", "object", "required", "token",
                  "properties", "token", "type", "string", "expires_in", "type", "integer"));
    return s;
}

char *gf_openapi(size_t *len)
{
    json_t *paths = door_paths();
    for (const struct gf_op *const *o = gf_ops(); *o; o++)
        if ((*o)->method && (*o)->path)
            add_op(paths, *o);
    json_t *doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s}, s:[{s:s}], s:o, s:{s:o, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}, "
        "s:[{s:[]},{s:[]}]}",
        "openapi", "3.1.0", "info", "title", "gongfu 共富 API", "version", "0.1.0", "description",
        "The HTTP JSON API of gongfu: every operation of the command line, authorised by role and "
        "unit scope.  Browsers sign in at /api/login (session cookie + X-CSRF-Token header on "
        "writes); scripts send Authorization: Bearer TOKEN.",
        "servers", "url", "/", "paths", paths, "components", "schemas", schemas(),
        "securitySchemes", "cookie", "type", "apiKey", "in", "cookie", "name", "gf_session",
        "bearer", "type", "http", "scheme", "bearer", "security", "cookie", "bearer");
    if (!doc)
        return NULL;
    char *s = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (s)
        *len = strlen(s);
    return s;
}

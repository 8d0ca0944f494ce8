/* report_pdf.c — a report's HTML printed to PDF by headless chromium (report.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "service/report.h"

extern char **environ;

#define PRINT_TIMEOUT_S 120

static int write_all(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fwrite(data, 1, len, f) != len;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

int gf_pdf_print(const char *html, size_t len, const char *path, struct gf_err *e)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/gongfu-print-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return gf_err_set(e, GF_ESYS, "cannot make a temporary directory for printing: %s",
                          strerror(errno));
    char in[4200], out[4200], arg_out[4300], arg_profile[4300], url[4300];
    snprintf(in, sizeof in, "%s/report.html", dir);
    snprintf(out, sizeof out, "%s/report.pdf", dir);
    snprintf(arg_out, sizeof arg_out, "--print-to-pdf=%s", out);
    snprintf(arg_profile, sizeof arg_profile, "--user-data-dir=%s/profile", dir);
    snprintf(url, sizeof url, "file://%s", in);
    int rc = GF_OK;
    pid_t pid = 0;
    if (write_all(in, html, len)) {
        rc = gf_err_set(e, GF_ESYS, "cannot write %s: %s", in, strerror(errno));
        goto done;
    }
    const char *bin = getenv("GONGFU_CHROMIUM");
    if (!bin || !*bin)
        bin = "chromium";
    char *argv[] = {(char *)bin,  "--headless",   "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", "--disable-dev-shm-usage", arg_profile,
                    arg_out,      url,            NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int sr = posix_spawnp(&pid, bin, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (sr) {
        rc = gf_err_set(e, GF_ESYS,
                        "cannot start %s to print the PDF (%s): install Debian's chromium, or "
                        "set GONGFU_CHROMIUM",
                        bin, strerror(sr));
        goto done;
    }
    int status = 0;
    time_t end = time(NULL) + PRINT_TIMEOUT_S;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            status = -1;
            break;
        }
        if (time(NULL) > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            rc = gf_err_set(e, GF_ESYS, "%s took more than %d s to print the PDF", bin,
                            PRINT_TIMEOUT_S);
            goto done;
        }
        struct timespec nap = {0, 50 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    struct stat st;
    if (status != 0 || stat(out, &st) || st.st_size < 100) {
        rc = gf_err_set(e, GF_ESYS, "%s did not print the PDF (exit status %d)", bin,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        goto done;
    }
    if (rename(out, path)) { /* another file system: copy */
        FILE *fi = fopen(out, "rb"), *fo = fopen(path, "wb");
        char chunk[65536];
        size_t n;
        int bad = !fi || !fo;
        while (!bad && (n = fread(chunk, 1, sizeof chunk, fi)) > 0)
            bad |= fwrite(chunk, 1, n, fo) != n;
        if (fi)
            fclose(fi);
        if (fo)
            bad |= fclose(fo) != 0;
        if (bad)
            rc = gf_err_set(e, GF_ESYS, "cannot write the PDF to %s", path);
    }
done:; /* the directory, with the profile chromium leaves behind */
    unlink(in);
    unlink(out);
    pid_t rm;
    char *rmv[] = {"rm", "-rf", dir, NULL};
    if (posix_spawnp(&rm, "rm", NULL, NULL, rmv, environ) == 0)
        waitpid(rm, NULL, 0);
    return rc;
}

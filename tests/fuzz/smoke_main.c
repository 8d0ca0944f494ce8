/* smoke_main.c — runs a fuzz target without libFuzzer: its seed files, then deterministic
 * mutations of them (own PRNG), so every build (and the sanitizer build) exercises each parser
 * on thousands of malformed inputs.  For coverage-guided fuzzing build with -DGONGFU_FUZZ=ON
 * (clang, libFuzzer): see docs/testing.md. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state = 0x9E3779B97F4A7C15u;

static uint64_t next(void)
{
    uint64_t z = (state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static const char *const dict[] = {",", "\"", "\"\"", "\n", "\r\n", "\xEF\xBB\xBF", "\xff", "\xe4\xb8", "(", ")",
                                   "/", "*", "-", "1e308", "0", "{", "}", "[", "]", ":", "\"step\"",
                                   "\"normalise\"", "\"method\"", "null", "true", "1.5", "-1"};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SEED_DIR [ITERATIONS]\n", argv[0]);
        return 2;
    }
    long iters = argc > 2 ? atol(argv[2]) : 20000;
    char *seeds[256];
    size_t sizes[256];
    int nseed = 0;
    DIR *d = opendir(argv[1]);
    struct dirent *de;
    while (d && (de = readdir(d)) && nseed < 256) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], de->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        char *buf = malloc(1 << 16);
        size_t n = fread(buf, 1, 1 << 16, f);
        fclose(f);
        seeds[nseed] = buf;
        sizes[nseed++] = n;
    }
    if (d)
        closedir(d);
    if (nseed == 0) {
        fprintf(stderr, "no seeds in %s\n", argv[1]);
        return 1;
    }
    for (int i = 0; i < nseed; i++)
        LLVMFuzzerTestOneInput((const uint8_t *)seeds[i], sizes[i]);
    uint8_t *buf = malloc(1 << 17);
    for (long it = 0; it < iters; it++) {
        int s = (int)(next() % (uint64_t)nseed);
        size_t n = sizes[s];
        memcpy(buf, seeds[s], n);
        int edits = 1 + (int)(next() % 8);
        for (int k = 0; k < edits; k++) {
            uint64_t r = next();
            size_t pos = n ? (size_t)(r >> 8) % (n + 1) : 0;
            switch (r % 5) {
            case 0: /* flip a byte */
                if (n)
                    buf[pos % n] ^= (uint8_t)(1u << ((r >> 40) % 8));
                break;
            case 1: /* delete a run */
                if (n) {
                    size_t len = 1 + (size_t)((r >> 32) % 16);
                    if (pos + len > n)
                        len = n - pos;
                    memmove(buf + pos, buf + pos + len, n - pos - len);
                    n -= len;
                }
                break;
            case 2: { /* insert a token */
                const char *t = dict[(r >> 48) % (sizeof dict / sizeof dict[0])];
                size_t len = strlen(t);
                if (n + len < (1 << 17)) {
                    memmove(buf + pos + len, buf + pos, n - pos);
                    memcpy(buf + pos, t, len);
                    n += len;
                }
                break;
            }
            case 3: /* duplicate a run */
                if (n && n * 2 < (1 << 17)) {
                    size_t len = 1 + (size_t)((r >> 32) % 64);
                    if (pos + len > n)
                        len = n - pos;
                    memmove(buf + pos + len, buf + pos, n - pos);
                    n += len;
                }
                break;
            default: /* truncate */
                n = pos;
            }
        }
        LLVMFuzzerTestOneInput(buf, n);
    }
    free(buf);
    for (int i = 0; i < nseed; i++)
        free(seeds[i]);
    printf("%ld mutated inputs from %d seeds: no crash\n", iters, nseed);
    return 0;
}

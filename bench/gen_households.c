/* gen_households.c — synthetic household survey file for the distribution benchmarks.
 *
 * usage: gen_households N [SEED] [--shuffle] > households.csv
 * N households over a 4-level hierarchy: 1 city (510400), 5 counties, 100 townships (20 per
 * county), 1000 villages (10 per township), codes in the style of 统计用区划代码.  Columns:
 * household_id,city,county,township,village,urban,size,income,weight,food,consumption
 * income is annual household disposable income (yuan, 2 decimals), log-normal with county,
 * township and urban effects; size 1..6; weight is the survey weight (households represented);
 * food and consumption are annual spending.  Rows come grouped by village (as survey files are);
 * --shuffle writes the same rows (same ids and values) in a random order, as merged files or
 * files sorted by another key come.  Synthetic data: no relation to real households.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t s0 = 0x9E3779B97F4A7C15ull, s1 = 0xD1B54A32D192ED03ull;

static uint64_t next(void)
{
    uint64_t a = s0, b = s1, r = a + b;
    b ^= a;
    s0 = ((a << 55) | (a >> 9)) ^ b ^ (b << 14);
    s1 = (b << 36) | (b >> 28);
    return r;
}

static double unif(void)
{
    return ((next() >> 11) + 0.5) / 9007199254740992.0;
}

static double gauss(void)
{
    return sqrt(-2 * log(unif())) * cos(6.283185307179586 * unif());
}

/* write v (≥ 0) with 2 decimals */
static char *put_cents(char *p, double v)
{
    long long c = llround(v * 100);
    char tmp[32];
    int n = 0;
    long long ip = c / 100, fp = c % 100;
    do {
        tmp[n++] = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    while (n)
        *p++ = tmp[--n];
    *p++ = '.';
    *p++ = (char)('0' + fp / 10);
    *p++ = (char)('0' + fp % 10);
    return p;
}

static char *put_int(char *p, long long v)
{
    char tmp[32];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_households N [SEED] [--shuffle]\n");
        return 2;
    }
    long long n = atoll(argv[1]);
    int shuffle = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--shuffle"))
            shuffle = 1;
        else {
            s0 ^= (uint64_t)atoll(argv[i]) * 0x9E3779B97F4A7C15ull;
            for (int k = 0; k < 10; k++)
                next();
        }
    }
    enum { NC = 5, NT = 20, NV = 10, NVIL = NC * NT * NV };
    double ceff[NC], teff[NC * NT], veff[NVIL], vurb[NVIL];
    for (int c = 0; c < NC; c++)
        ceff[c] = 0.12 * gauss();
    for (int t = 0; t < NC * NT; t++)
        teff[t] = 0.08 * gauss();
    for (int v = 0; v < NVIL; v++) {
        veff[v] = 0.05 * gauss();
        vurb[v] = v % NV < 3 ? 0.9 : 0.15; /* share of urban households */
    }
    /* households per village: n split evenly (village v gets its share); with --shuffle the
     * rows are kept (text, and where each starts) and written in a random order at the end */
    static char buf[1 << 16];
    char *p = buf, *all = NULL;
    size_t all_len = 0, all_cap = 0, *start = NULL;
    if (shuffle && !(start = malloc(sizeof *start * ((size_t)n + 1)))) {
        fprintf(stderr, "gen_households: out of memory\n");
        return 1;
    }
    fputs("household_id,city,county,township,village,urban,size,income,weight,food,consumption\n",
          stdout);
    for (long long i = 0; i < n; i++) {
        int v = (int)(i * NVIL / n);
        int t = v / NV, c = t / NT;
        long long county = 510402 + c, township = county * 1000 + 1 + t % NT,
                  village = township * 1000 + 1 + v % NV;
        int urban = unif() < vurb[v];
        int size = 1 + (int)(unif() * unif() * 6.0 + unif() * 1.5);
        if (size > 6)
            size = 6;
        double lpc = (urban ? 10.75 : 10.05) + ceff[c] + teff[t] + veff[v] + 0.55 * gauss();
        double pc = exp(lpc);
        if (unif() < 0.002)
            pc *= 0.2; /* a few very low incomes */
        double income = pc * size * (1 + 0.02 * (size > 3));
        double weight = 80 + unif() * 220;
        double cons = income * (0.55 + 0.25 * unif());
        double food = cons * (0.22 + 0.16 * unif() + (urban ? 0 : 0.05));
        p = put_int(p, i + 1);
        p = memcpy(p, ",510400,", 8), p += 8;
        p = put_int(p, county);
        *p++ = ',';
        p = put_int(p, township);
        *p++ = ',';
        p = put_int(p, village);
        *p++ = ',';
        *p++ = (char)('0' + urban);
        *p++ = ',';
        *p++ = (char)('0' + size);
        *p++ = ',';
        p = put_cents(p, income);
        *p++ = ',';
        p = put_cents(p, weight);
        *p++ = ',';
        p = put_cents(p, food);
        *p++ = ',';
        p = put_cents(p, cons);
        *p++ = '\n';
        if (shuffle) {
            size_t len = (size_t)(p - buf);
            if (all_len + len > all_cap) {
                all_cap = all_cap ? all_cap * 2 : (size_t)1 << 20;
                if (!(all = realloc(all, all_cap))) {
                    fprintf(stderr, "gen_households: out of memory\n");
                    return 1;
                }
            }
            start[i] = all_len;
            memcpy(all + all_len, buf, len);
            all_len += len;
            p = buf;
        } else if (p - buf > (long)sizeof buf - 256) {
            fwrite(buf, 1, (size_t)(p - buf), stdout);
            p = buf;
        }
    }
    if (shuffle) {
        /* Fisher-Yates over the row numbers, from its own generator: the rows stay the same */
        size_t *perm = malloc(sizeof *perm * (size_t)n);
        if (!perm) {
            fprintf(stderr, "gen_households: out of memory\n");
            return 1;
        }
        start[n] = all_len;
        uint64_t r = 0x2545F4914F6CDD1Dull;
        for (long long i = 0; i < n; i++)
            perm[i] = (size_t)i;
        for (long long i = n - 1; i > 0; i--) {
            r ^= r << 13, r ^= r >> 7, r ^= r << 17;
            size_t j = (size_t)(r % (uint64_t)(i + 1)), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        for (long long i = 0; i < n; i++)
            fwrite(all + start[perm[i]], 1, start[perm[i] + 1] - start[perm[i]], stdout);
        free(perm);
        free(all);
        free(start);
        return 0;
    }
    fwrite(buf, 1, (size_t)(p - buf), stdout);
    return 0;
}

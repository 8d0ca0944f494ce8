/* fuzz_csv.c — the CSV reader on arbitrary bytes: never crashes, never reads out of bounds. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    FILE *fp = fmemopen((void *)data, size, "rb");
    if (!fp)
        return 0;
    struct gf_csv c;
    struct gf_err e;
    if (gf_csv_open_stream(&c, fp, "fuzz.csv", &e) == GF_OK) {
        c.max_record = 4096; /* small limit so the long-record path is exercised */
        size_t total = 0;
        while (gf_csv_read(&c, &e) == 1)
            for (size_t i = 0; i < c.nfield; i++)
                total += strlen(c.field[i]);
        (void)total;
        gf_csv_close(&c);
    }
    fclose(fp);
    return 0;
}

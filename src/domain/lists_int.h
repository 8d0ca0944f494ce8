/* lists_int.h — helpers shared by the files of the lists module (lists.c, race.c, demo_lists.c);
 * not for other modules. */
#ifndef GF_LISTS_INT_H
#define GF_LISTS_INT_H

/* Days since 1970-01-01 of a proleptic Gregorian date (negative before). */
long gf_lists_civil_days(int y, int m, int d);
/* The inverse: "YYYY-MM-DD" of day number z (days since 1970-01-01) into out (11 bytes). */
void gf_lists_civil_date(long z, char *out);

/* Linear investment plan of an item at date d: planned × elapsed share of [start, due], 0 before
 * the start, the whole plan from the due date on (dates YYYY-MM-DD). */
double gf_lists_plan_to_date(double planned, const char *start, const char *due, const char *d);

#endif

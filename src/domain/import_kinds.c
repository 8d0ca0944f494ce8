/* import_kinds.c — the table of importable kinds (gongfu import KIND FILE). One line per kind. */
#include <string.h>

#include "domain/import.h"

extern const struct gf_import_kind gf_import_units, gf_import_teams, gf_import_departments,
    gf_import_people, gf_import_framework, gf_import_values;
extern const struct gf_import_kind gf_import_households, gf_import_household_members,
    gf_import_household_incomes;
extern const struct gf_import_kind gf_import_list_kinds, gf_import_items, gf_import_progress;
extern const struct gf_import_kind gf_import_income_microdata; /* fast path: cmd_import.c */
extern const struct gf_import_kind gf_import_collective_income, gf_import_village_enterprises,
    gf_import_village_enterprise_results, gf_import_enclaves, gf_import_enclave_returns;
extern const struct gf_import_kind gf_import_enterprises, gf_import_enterprise_values;
extern const struct gf_import_kind gf_import_pairings, gf_import_pairing_activities;
extern const struct gf_import_kind gf_import_cases, gf_import_trainings, gf_import_training_attendees;

const struct gf_import_kind *const gf_import_kinds[] = {
    &gf_import_units,      &gf_import_teams,     &gf_import_departments, &gf_import_people,
    &gf_import_framework,  &gf_import_values,
    &gf_import_income_microdata, /* before the registry: `gongfu import households` is microdata */
    &gf_import_households, &gf_import_household_members, &gf_import_household_incomes,
    &gf_import_list_kinds, &gf_import_items, &gf_import_progress,
    &gf_import_collective_income, &gf_import_village_enterprises,
    &gf_import_village_enterprise_results, &gf_import_enclaves, &gf_import_enclave_returns,
    &gf_import_enterprises, &gf_import_enterprise_values,
    &gf_import_pairings, &gf_import_pairing_activities,
    &gf_import_cases, &gf_import_trainings, &gf_import_training_attendees,
    NULL,
};

const struct gf_import_kind *gf_import_kind_find(const char *name)
{
    for (int i = 0; gf_import_kinds[i]; i++)
        if (!strcmp(gf_import_kinds[i]->name, name))
            return gf_import_kinds[i];
    return NULL;
}

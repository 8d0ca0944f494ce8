/* demo_users.h — the demo database's sign-in accounts (synthetic, one per role). */
#ifndef GF_DEMO_USERS_H
#define GF_DEMO_USERS_H

#include "store/db.h"
#include "util/err.h"

/* The one password of every demo account (synthetic accounts of a demo database on
 * 127.0.0.1; scripts/demo.sh prints it with the accounts). */
#define GF_DEMO_PASSWORD "gongfu2025demo"

/* Add the demo accounts (guanli admin, zhongxin centre, lingdao leader, zhuanban team reporter,
 * xianji county reporter, zhenji township approver, cunji village reporter, bangfu cadre) to a
 * freshly built demo database, as its administrator.  GF_OK, or the error naming the account. */
int gf_demo_users(struct gf_db *db, struct gf_err *e);

#endif

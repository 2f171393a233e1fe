/* slots.c - posting slots per account: a week of wall times in a zone. */
#include "db.h"

static const char SQL_PUT[] =
	"INSERT INTO schedule_slots (account, spec, tz, created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?4)"
	" ON CONFLICT (account) DO UPDATE SET spec = ?2, tz = ?3,"
	" updated_at = ?4";
static const char SQL_GET[] =
	"SELECT account, spec, tz, updated_at FROM schedule_slots"
	" WHERE account = ?1";
static const char SQL_LIST[] =
	"SELECT account, spec, tz, updated_at FROM schedule_slots"
	" ORDER BY account";
static const char SQL_RM[] = "DELETE FROM schedule_slots WHERE account = ?1";

int
account_slots_put(struct agency *ag, struct store *st, const char *account,
    const char *spec, const char *tz)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_PUT, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, account);
	db_bind_text(s, 2, spec);
	db_bind_text(s, 3, tz);
	sqlite3_bind_int64(s, 4, db_now());
	return db_done(ag, st, s);
}

int
account_slots_get(struct agency *ag, struct store *st, const char *account,
    cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_GET, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, account);
	if ((rc = db_row_one(ag, st, s, "schedule_slots", out)) == AG_FALSE)
		return ag_fail(ag, AG_NOINPUT, "account '%s' has no posting "
		    "slots: agency-schedule slots set %s 'mon-fri 09:00'",
		    account, account);
	return rc;
}

int
account_slots_list(struct agency *ag, struct store *st, cJSON **out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_LIST, &s)) != AG_OK)
		return rc;
	return db_rows(ag, st, s, "schedule_slots", out);
}

int
account_slots_remove(struct agency *ag, struct store *st, const char *account)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = db_stmt(ag, st, SQL_RM, &s)) != AG_OK)
		return rc;
	db_bind_text(s, 1, account);
	if ((rc = db_done(ag, st, s)) != AG_OK)
		return rc;
	if (sqlite3_changes(st->db) == 0)
		return ag_fail(ag, AG_NOINPUT, "account '%s' has no posting "
		    "slots", account);
	return AG_OK;
}

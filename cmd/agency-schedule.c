/* agency-schedule - the content calendar and its exactly-once tick. */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "agency.h"

static const struct ag_option no_options[] = {
	AG_OPT_END
};

static long long
post_id(struct agency *ag, const char *s)
{
	long long v;

	if (ag_parse_ll(s, 1, INT64_MAX, &v) == -1)
		ag_usage_error(ag, "'%s' is not a post id", s);
	return v;
}

/* Repeated and comma-separated values, split (the strings are new). */
static void
split(const struct ag_strv *in, struct ag_strv *out)
{
	char *copy, *p, *comma;
	size_t i;

	for (i = 0; i < in->n; i++) {
		copy = xstrdup(in->v[i]);
		for (p = copy; p != NULL; p = comma) {
			if ((comma = strchr(p, ',')) != NULL)
				*comma++ = '\0';
			if (*p != '\0')
				ag_strv_push(out, xstrdup(p));
		}
		free(copy);
	}
}

static void
strv_free(struct ag_strv *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free((char *)v->v[i]);
	ag_strv_release(v);
}

static int
terminal(struct agency *ag)
{
	return !ag->json && isatty(STDOUT_FILENO);
}

static const char *
str(const cJSON *doc, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(doc, key));

	return s ? s : "";
}

/* One post as a table row on a terminal, else its document. */
static int
print_post(void *arg, const cJSON *doc)
{
	struct agency *ag = arg;
	const cJSON *id = cJSON_GetObjectItem(doc, "id");
	char ids[24], note[200];

	if (!terminal(ag))
		return ag_emit(ag, doc);
	snprintf(ids, sizeof(ids), cJSON_IsNumber(id) ? "%.0f" : "-",
	    cJSON_IsNumber(id) ? id->valuedouble : 0);
	snprintf(note, sizeof(note), "%s%s%s", str(doc, "reason"),
	    *str(doc, "reason") && *str(doc, "url") ? " " : "",
	    str(doc, "url"));
	if (*note == '\0' && *str(doc, "rrule"))
		snprintf(note, sizeof(note), "%s", str(doc, "rrule"));
	printf("%6s  %-25s  %-18s  %-9s  %s\n", ids, str(doc, "at"),
	    str(doc, "account"), str(doc, "state"), note);
	return ferror(stdout) ? ag_fail(ag, AG_IOERR, "cannot write to "
	    "stdout:") : AG_OK;
}

static void
table_head(struct agency *ag)
{
	if (terminal(ag))
		printf("%6s  %-25s  %-18s  %-9s  %s\n", "ID", "WHEN", "ACCOUNT",
		    "STATE", "NOTE");
}

/* agency-schedule add */

static struct {
	const char *at, *tz, *rrule, *every;
	struct ag_strv to, captions;
	int slot;
} ad;

static const struct ag_option add_options[] = {
	AG_OPT_STRING(0, "at", "when", &ad.at,
	    "when: \"2026-12-01 09:00\" in the zone, an RFC 3339 time, +2h"),
	AG_OPT_LIST('c', "caption", "account=text", &ad.captions,
	    "the caption for one account (repeatable)"),
	AG_OPT_STRING('e', "every", "spec", &ad.every,
	    "repeat: 'mon-fri 09:00', 'day at 18:00', '2 weeks on mon'"),
	AG_OPT_STRING('r', "rrule", "rule", &ad.rrule,
	    "repeat by an RFC 5545 rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9'"),
	AG_OPT_BOOL('s', "slot", &ad.slot,
	    "the next free posting slot of each account"),
	AG_OPT_LIST('t', "to", "accounts", &ad.to,
	    "platform:name accounts, comma-separated or repeated"),
	AG_OPT_STRING('z', "tz", "zone", &ad.tz,
	    "the time zone of --at (default schedule.tz, else TZ)"),
	AG_OPT_END
};

static int
add_cmd(struct agency *ag, int argc, char **argv)
{
	struct schedule_add a;
	struct ag_strv to = { NULL, 0 };
	cJSON *docs = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, add_options,
	    "PRODUCTION --to accounts (--at when | --slot | --rrule rule | "
	    "--every spec) [--tz zone] [-c account=text]");
	if (argc != 1)
		ag_usage_error(ag, "expected one PRODUCTION (a file, - or a "
		    "content id)");
	split(&ad.to, &to);
	memset(&a, 0, sizeof(a));
	a.production = argv[0];
	a.at = ad.at;
	a.tz = ad.tz;
	a.accounts = to.v;
	a.naccounts = to.n;
	a.captions = ad.captions.v;
	a.ncaptions = ad.captions.n;
	a.rrule = ad.rrule;
	a.every = ad.every;
	a.slot = ad.slot;
	rc = schedule_add(ag, &a, &docs);
	if (rc == AG_OK)
		rc = ag_emit_all(ag, docs);
	cJSON_Delete(docs);
	strv_free(&to);
	ag_strv_release(&ad.to);
	ag_strv_release(&ad.captions);
	return rc;
}

/* agency-schedule ls, export */

static struct {
	const char *from, *to, *account, *tz, *output;
	struct ag_strv states;
	int expand, week;
} ls;

static const struct ag_option ls_options[] = {
	AG_OPT_STRING('a', "account", "account", &ls.account,
	    "only the posts of this account"),
	AG_OPT_BOOL('x', "expand", &ls.expand,
	    "also the planned occurrences of recurring posts"),
	AG_OPT_STRING('f', "from", "when", &ls.from,
	    "posts from this time on (a date, a time, -7d)"),
	AG_OPT_LIST('s', "state", "state", &ls.states,
	    "scheduled, queued, posted, failed, missed, blocked, cancelled"),
	AG_OPT_STRING(0, "to", "when", &ls.to,
	    "posts before this time"),
	AG_OPT_BOOL('w', "week", &ls.week,
	    "on a terminal, draw a week instead of a month"),
	AG_OPT_STRING('z', "tz", "zone", &ls.tz,
	    "show times in this zone (default schedule.tz, else TZ)"),
	AG_OPT_END
};

/* --ics names the one format; a callback, so there is no --no-ics. */
static int
ics_cb(struct agency *ag, const struct ag_option *o, const char *arg)
{
	(void)ag;
	(void)o;
	(void)arg;
	return AG_OK;
}

static const struct ag_option export_options[] = {
	AG_OPT_STRING('a', "account", "account", &ls.account,
	    "only the posts of this account"),
	AG_OPT_STRING('f', "from", "when", &ls.from,
	    "single posts from this time on (series go out whole)"),
	AG_OPT_CALLBACK(0, "ics", NULL, ics_cb,
	    "iCalendar, RFC 5545 (the default and only format)"),
	AG_OPT_STRING('o', "output", "file", &ls.output,
	    "write to file instead of stdout"),
	AG_OPT_STRING(0, "to", "when", &ls.to,
	    "single posts before this time"),
	AG_OPT_END
};

static int
grid_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	long long v;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (c != NULL && ag_parse_ll(c, 40, 1000, &v) == 0)
		return (int)v;
	return 80;
}

/* --from and --to in zone z; on a terminal, the month (or week) of from
 * when none is given. */
static void
range(struct agency *ag, const struct tz *z, struct schedule_filter *f,
    int grid)
{
	int64_t now = ag_now_ms() / 1000, local, day;
	struct cal c;

	if (ls.from != NULL && when_parse(z, ls.from, now, &f->from, NULL))
		ag_usage_error(ag, "option '--from': '%s' is not a time "
		    "(2026-12-01, \"2026-12-01 09:00\", -7d)", ls.from);
	if (ls.to != NULL && when_parse(z, ls.to, now, &f->to, NULL))
		ag_usage_error(ag, "option '--to': '%s' is not a time", ls.to);
	if (!grid)
		return;
	local = tz_local(z, f->from ? f->from : now);
	cal_fields(local, &c);
	if (ls.week) {
		day = cal_days(c.y, c.m, c.d) - c.wday;
		if (f->from == 0)
			f->from = tz_instant(z, day * 86400, NULL);
		if (f->to == 0)
			f->to = tz_instant(z, (day + 7) * 86400, NULL);
	} else {
		if (f->from == 0)
			f->from = tz_instant(z, cal_local(c.y, c.m, 1, 0, 0, 0),
			    NULL);
		if (f->to == 0)
			f->to = tz_instant(z, (cal_days(c.y, c.m, 1) +
			    cal_month_days(c.y, c.m)) * 86400, NULL);
	}
}

static int
collect(void *arg, const cJSON *doc)
{
	cJSON_AddItemToArray(arg, cJSON_Duplicate(doc, 1));
	return AG_OK;
}

static char *
states_of(struct agency *ag)
{
	struct ag_strv v = { NULL, 0 };
	struct buf b = BUF_INIT;
	size_t i;

	split(&ls.states, &v);
	if (v.n == 0)
		return NULL;
	for (i = 0; i < v.n; i++) {
		if (!ag_in_list("scheduled,queued,posted,failed,missed,blocked,"
		    "cancelled", v.v[i]))
			ag_usage_error(ag, "option '--state': '%s' is not one "
			    "of scheduled, queued, posted, failed, missed, "
			    "blocked, cancelled", v.v[i]);
		buf_addf(&b, "%s%s", i ? "," : "", v.v[i]);
	}
	strv_free(&v);
	return buf_detach(&b);
}

static int
ls_cmd(struct agency *ag, int argc, char **argv)
{
	struct schedule_filter f;
	const struct tz *z;
	struct buf out = BUF_INIT;
	cJSON *docs;
	char *states;
	int rc, grid;

	argc = ag_parse_options(ag, argc, argv, ls_options,
	    "[--from when] [--to when] [-a account] [-s state] [-x] [-w] "
	    "[-z zone]");
	(void)argv;
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	rc = ls.tz ? tz_load(ag, ls.tz, &z) : tz_default(ag, &z);
	if (rc != AG_OK)
		return rc;
	grid = terminal(ag);
	memset(&f, 0, sizeof(f));
	range(ag, z, &f, grid);
	f.account = ls.account;
	f.states = states = states_of(ag);
	f.expand = ls.expand || grid;
	if (!grid) {
		rc = schedule_list(ag, &f, print_post, ag);
		free(states);
		ag_strv_release(&ls.states);
		return rc;
	}
	docs = cJSON_CreateArray();
	rc = schedule_list(ag, &f, collect, docs);
	if (rc == AG_OK) {
		schedule_grid(docs, z, f.from, f.to, ls.week, grid_width(),
		    &out);
		fputs(buf_str(&out), stdout);
		putchar('\n');
		table_head(ag);
		rc = AG_OK;
		{
			const cJSON *d;

			cJSON_ArrayForEach(d, docs)
				if (rc == AG_OK && !cJSON_IsTrue(
				    cJSON_GetObjectItem(d, "planned")))
					rc = print_post(ag, d);
		}
	}
	buf_release(&out);
	cJSON_Delete(docs);
	free(states);
	ag_strv_release(&ls.states);
	return rc;
}

static int
export_cmd(struct agency *ag, int argc, char **argv)
{
	struct schedule_filter f;
	const struct tz *z;
	struct buf out = BUF_INIT;
	int rc;

	argc = ag_parse_options(ag, argc, argv, export_options,
	    "[--ics] [--from when] [--to when] [-a account] [-o file]");
	(void)argv;
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	if ((rc = tz_default(ag, &z)) != AG_OK)
		return rc;
	memset(&f, 0, sizeof(f));
	range(ag, z, &f, 0);
	f.account = ls.account;
	if ((rc = schedule_ics(ag, &f, &out)) == AG_OK) {
		if (ls.output != NULL && strcmp(ls.output, "-") != 0)
			rc = ag_write_file(ag, ls.output, out.data, out.len,
			    0644);
		else if (fwrite(out.data, 1, out.len, stdout) != out.len)
			rc = ag_fail(ag, AG_IOERR, "cannot write to stdout:");
	}
	buf_release(&out);
	return rc;
}

/* agency-schedule show, rm, move, retry */

static int skip;

static const struct ag_option rm_options[] = {
	AG_OPT_BOOL(0, "skip", &skip,
	    "of a recurring post, drop only this occurrence"),
	AG_OPT_END
};

/* Run fn on each ID operand and print the post; go on past a failure,
 * say it, return the worst status. */
static int
each_post(struct agency *ag, int argc, char **argv,
    int (*fn)(struct agency *, long long, cJSON **))
{
	cJSON *doc = NULL;
	int i, rc, worst = AG_OK;

	for (i = 0; i < argc; i++)
		post_id(ag, argv[i]);
	for (i = 0; i < argc; i++) {
		if ((rc = fn(ag, post_id(ag, argv[i]), &doc)) == AG_OK) {
			rc = ag_emit(ag, doc);
			cJSON_Delete(doc);
		}
		worst = ag_batch(ag, rc, i + 1 == argc, worst);
	}
	return worst;
}

static int
show_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, no_options, "ID...");
	if (argc == 0)
		ag_usage_error(ag, "which post?");
	return each_post(ag, argc, argv, schedule_show);
}

static int
rm_one(struct agency *ag, long long id, cJSON **doc)
{
	return schedule_remove(ag, id, skip, doc);
}

static int
rm_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, rm_options, "[--skip] ID...");
	if (argc == 0)
		ag_usage_error(ag, "which post?");
	return each_post(ag, argc, argv, rm_one);
}

static int
retry_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, no_options, "ID...");
	if (argc == 0)
		ag_usage_error(ag, "which post?");
	return each_post(ag, argc, argv, schedule_retry);
}

static struct {
	const char *at, *tz;
} mv;

static const struct ag_option move_options[] = {
	AG_OPT_STRING(0, "at", "when", &mv.at,
	    "the new time (required)"),
	AG_OPT_STRING('z', "tz", "zone", &mv.tz,
	    "the zone of --at, and of the post from now on"),
	AG_OPT_END
};

static int
move_cmd(struct agency *ag, int argc, char **argv)
{
	cJSON *doc = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, move_options,
	    "ID --at when [--tz zone]");
	if (argc != 1)
		ag_usage_error(ag, "expected one post ID");
	if (mv.at == NULL)
		ag_usage_error(ag, "--at is required");
	rc = schedule_move(ag, post_id(ag, argv[0]), mv.at, mv.tz, &doc);
	if (rc == AG_OK)
		rc = ag_emit(ag, doc);
	cJSON_Delete(doc);
	return rc;
}

/* agency-schedule pause, resume */

static int
accounts_cmd(struct agency *ag, int argc, char **argv, int pause)
{
	long long n;
	int i, rc, worst = AG_OK;

	argc = ag_parse_options(ag, argc, argv, no_options, "ACCOUNT...");
	if (argc == 0)
		ag_usage_error(ag, "which account?");
	for (i = 0; i < argc; i++) {
		rc = pause ? schedule_pause(ag, argv[i], &n) :
		    schedule_resume(ag, argv[i], &n);
		if (rc == AG_OK)
			ag_info(ag, "%s: %lld posts %s", argv[i], n, pause ?
			    "held" : "back in the calendar");
		worst = ag_batch(ag, rc, i + 1 == argc, worst);
	}
	return worst;
}

static int
pause_cmd(struct agency *ag, int argc, char **argv)
{
	return accounts_cmd(ag, argc, argv, 1);
}

static int
resume_cmd(struct agency *ag, int argc, char **argv)
{
	return accounts_cmd(ag, argc, argv, 0);
}

/* agency-schedule tick, check */

static struct {
	const char *grace, *again, *ahead;
} tk = { NULL, NULL, "7d" };

static const struct ag_option tick_options[] = {
	AG_OPT_STRING(0, "again", "duration", &tk.again,
	    "queue the next tick duration from now (for agency-queue work)"),
	AG_OPT_STRING('g', "grace", "duration", &tk.grace,
	    "how late a post may go out (default schedule.grace, 15m)"),
	AG_OPT_END
};

static const struct ag_option check_options[] = {
	AG_OPT_STRING(0, "ahead", "duration", &tk.ahead,
	    "how far to look ahead (default 7d)"),
	AG_OPT_END
};

static int
tick_cmd(struct agency *ag, int argc, char **argv)
{
	struct schedule_tick t;
	cJSON *doc = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, tick_options,
	    "[--grace duration] [--again duration]");
	(void)argv;
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	memset(&t, 0, sizeof(t));
	t.grace = tk.grace ? ag_opt_duration(ag, "--grace", tk.grace) : -1;
	t.again = tk.again ? ag_opt_duration(ag, "--again", tk.again) : 0;
	if (tk.again != NULL && t.again < 1)
		ag_usage_error(ag, "option '--again': at least 1s");
	rc = schedule_tick(ag, &t, &doc);
	if (rc == AG_OK)
		rc = ag_emit(ag, doc);
	cJSON_Delete(doc);
	return rc;
}

static int
check_cmd(struct agency *ag, int argc, char **argv)
{
	cJSON *docs = NULL;
	const cJSON *d;
	int rc, out = AG_OK;

	argc = ag_parse_options(ag, argc, argv, check_options,
	    "[--ahead duration]");
	(void)argv;
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	rc = schedule_check(ag, ag_opt_duration(ag, "--ahead", tk.ahead),
	    &docs);
	if (rc != AG_OK && rc != AG_FALSE)
		return rc;
	if (cJSON_GetArraySize(docs) > 0)
		table_head(ag);
	cJSON_ArrayForEach(d, docs)
		if (out == AG_OK)
			out = print_post(ag, d);
	cJSON_Delete(docs);
	return out != AG_OK ? out : rc;
}

/* agency-schedule slots set|ls|rm */

static const char *slot_tz;

static const struct ag_option slots_set_options[] = {
	AG_OPT_STRING('z', "tz", "zone", &slot_tz,
	    "the zone of the times (default schedule.tz, else TZ)"),
	AG_OPT_END
};

static int
slots_set_cmd(struct agency *ag, int argc, char **argv)
{
	cJSON *doc = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, slots_set_options,
	    "ACCOUNT 'mon-fri 09:00,17:30; sat 11:00' [--tz zone]");
	if (argc != 2)
		ag_usage_error(ag, "expected ACCOUNT and the slots");
	rc = schedule_slots_set(ag, argv[0], argv[1], slot_tz, &doc);
	if (rc == AG_OK)
		rc = ag_emit(ag, doc);
	cJSON_Delete(doc);
	return rc;
}

static int
slots_ls_cmd(struct agency *ag, int argc, char **argv)
{
	cJSON *docs = NULL;
	const cJSON *d;
	int rc;

	argc = ag_parse_options(ag, argc, argv, no_options, "[ACCOUNT]");
	if (argc > 1)
		ag_usage_error(ag, "too many arguments");
	if ((rc = schedule_slots_list(ag, argc ? argv[0] : NULL, &docs)) !=
	    AG_OK)
		return rc;
	if (terminal(ag))
		printf("%-20s  %-20s  %-26s  %s\n", "ACCOUNT", "ZONE",
		    "NEXT FREE", "SLOTS");
	cJSON_ArrayForEach(d, docs) {
		if (!terminal(ag)) {
			if ((rc = ag_emit(ag, d)) != AG_OK)
				break;
			continue;
		}
		printf("%-20s  %-20s  %-26s  %s\n", str(d, "account"),
		    str(d, "tz"), str(d, "next"), str(d, "slots"));
	}
	cJSON_Delete(docs);
	return rc;
}

static int
slots_rm_cmd(struct agency *ag, int argc, char **argv)
{
	int i, worst = AG_OK;

	argc = ag_parse_options(ag, argc, argv, no_options, "ACCOUNT...");
	if (argc == 0)
		ag_usage_error(ag, "which account?");
	for (i = 0; i < argc; i++)
		worst = ag_batch(ag, schedule_slots_remove(ag, argv[i]),
		    i + 1 == argc, worst);
	return worst;
}

static const struct ag_command slots_commands[] = {
	{ "ls", slots_ls_cmd, "show accounts' slots and their next free one" },
	{ "rm", slots_rm_cmd, "remove an account's slots" },
	{ "set", slots_set_cmd, "set an account's weekly posting slots" },
	{ NULL, NULL, NULL }
};

static int
slots_cmd(struct agency *ag, int argc, char **argv)
{
	return ag_run_command(ag, argc, argv, no_options,
	    "COMMAND [ARG...]", slots_commands);
}

/* agency-schedule live */

static int
live_cmd(struct agency *ag, int argc, char **argv)
{
	long long id, rev;
	char why[512], *colon;
	cJSON *doc;
	int rc;

	argc = ag_parse_options(ag, argc, argv, no_options, "ID:REVISION");
	if (argc != 1 || (colon = strchr(argv[0], ':')) == NULL)
		ag_usage_error(ag, "expected ID:REVISION, as an upload job's "
		    "--schedule has it");
	*colon = '\0';
	id = post_id(ag, argv[0]);
	if (ag_parse_ll(colon + 1, 1, INT64_MAX, &rev) == -1)
		ag_usage_error(ag, "'%s' is not a revision", colon + 1);
	why[0] = '\0';
	rc = schedule_post_live(ag, id, rev, why, sizeof(why));
	if (rc != AG_OK && rc != AG_FALSE)
		return rc;
	doc = ag_doc_new("agency.schedule.live");
	cJSON_AddNumberToObject(doc, "id", (double)id);
	cJSON_AddNumberToObject(doc, "revision", (double)rev);
	cJSON_AddBoolToObject(doc, "live", rc == AG_OK);
	if (rc == AG_FALSE)
		cJSON_AddStringToObject(doc, "why", why);
	if (ag_emit(ag, doc) != AG_OK)
		rc = AG_IOERR;
	cJSON_Delete(doc);
	return rc;
}

/* agency-schedule import */

static int
import_cmd(struct agency *ag, int argc, char **argv)
{
	cJSON *docs = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, no_options, "FILE.csv");
	if (argc != 1)
		ag_usage_error(ag, "expected one CSV file (- for stdin)");
	rc = schedule_import(ag, argv[0], &docs);
	if (rc == AG_OK) {
		ag_info(ag, "%d posts added", cJSON_GetArraySize(docs));
		rc = ag_emit_all(ag, docs);
	}
	cJSON_Delete(docs);
	return rc;
}

static const struct ag_command commands[] = {
	{ "add", add_cmd, "schedule a production to accounts at a time" },
	{ "check", check_cmd, "look ahead for posts that cannot go out" },
	{ "export", export_cmd, "the calendar as iCalendar (.ics)" },
	{ "import", import_cmd, "add the posts of a CSV file, all or none" },
	{ "live", live_cmd, "may a post's upload job publish? (exit 1: no)" },
	{ "ls", ls_cmd, "list posts (a calendar on a terminal, else NDJSON)" },
	{ "move", move_cmd, "move a post to another time" },
	{ "pause", pause_cmd, "hold every post of an account" },
	{ "resume", resume_cmd, "let an account's posts go out again" },
	{ "retry", retry_cmd, "send a missed, failed or blocked post now" },
	{ "rm", rm_cmd, "remove a post: it will never be published" },
	{ "show", show_cmd, "print a post with its upload job" },
	{ "slots", slots_cmd, "posting slots per account (set, ls, rm)" },
	{ "tick", tick_cmd, "queue the due posts, exactly once (cron)" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	struct agency ag;
	int rc;

	ag_init(&ag, argc, argv);
	rc = ag_run_command(&ag, argc, argv, no_options,
	    "[options] COMMAND [ARG...]", commands);
	return ag_finish(&ag, rc);
}

/* agency-upload - publish a production to platforms, resumable, never twice. */
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "agency.h"

static const struct ag_option no_options[] = {
	AG_OPT_END
};

/* The publish options, shared by the main mode and resume. */
static struct {
	struct ag_strv to, tags;
	const char *title, *description, *privacy, *schedule;
	int dry_run, transcode, kids;
} pub = { .kids = -1 };

/* Split comma-separated values of a LIST option, in place of it. */
static const char **
split(const struct ag_strv *v, char **keep)
{
	const char **out = NULL;
	struct buf b = BUF_INIT;
	size_t n = 0, i;
	char *all, *p, *comma;

	for (i = 0; i < v->n; i++)
		buf_addf(&b, "%s,", v->v[i]);
	buf_addstr(&b, "");
	all = buf_detach(&b);
	for (p = all; *p != '\0'; p = comma + 1) {
		comma = strchr(p, ',');
		*comma = '\0';
		if (*p == '\0')
			continue;
		out = xreallocarray(out, n + 2, sizeof(*out));
		out[n++] = p;
	}
	if (out == NULL)
		out = xcalloc(1, sizeof(*out));
	out[n] = NULL;
	*keep = all;
	return out;
}

static int
emit(struct agency *ag, void *arg, const cJSON *post)
{
	(void)arg;
	return ag_emit(ag, post);
}

static void
describe(void *arg, const char *text)
{
	(void)arg;
	fprintf(stderr, "%s\n", text);
}

/*
 * The schedule guard: is calendar entry ID still to be published, at
 * REVISION?  lib/schedule answers (removed, moved, paused, ... is
 * AG_FALSE with the reason); asked before any byte is sent and again
 * just before publishing.
 */
static int
schedule_live(struct agency *ag, void *arg, const char *schedule,
    const char *account, enum upload_stage stage, char *why, size_t len)
{
	long long id = 0, rev = 0;

	(void)arg;
	(void)account;
	(void)stage;
	if (sscanf(schedule, "%lld:%lld", &id, &rev) != 2)
		return ag_fail(ag, AG_USAGE, "schedule '%s' is not ID:REVISION",
		    schedule);
	return schedule_post_live(ag, id, rev, why, len);
}

static void
check_schedule(struct agency *ag, const char *s)
{
	long long id, rev;
	const char *colon = s ? strchr(s, ':') : NULL;
	char head[32];

	if (s == NULL)
		return;
	if (colon == NULL || (size_t)(colon - s) >= sizeof(head))
		ag_usage_error(ag, "option '--schedule': '%s' is not "
		    "ID:REVISION", s);
	snprintf(head, sizeof(head), "%.*s", (int)(colon - s), s);
	if (ag_parse_ll(head, 1, INT64_MAX, &id) == -1 ||
	    ag_parse_ll(colon + 1, 1, INT64_MAX, &rev) == -1)
		ag_usage_error(ag, "option '--schedule': '%s' is not "
		    "ID:REVISION (two whole numbers)", s);
}

static void
fill_args(struct agency *ag, struct upload_args *a, const char **to,
    const char **tags)
{
	memset(a, 0, sizeof(*a));
	a->to = to;
	a->title = pub.title;
	a->description = pub.description;
	a->tags = pub.tags.n ? tags : NULL;
	a->made_for_kids = pub.kids;
	a->privacy = pub.privacy;
	a->dry_run = pub.dry_run;
	a->transcode = pub.transcode;
	check_schedule(ag, pub.schedule);
	a->schedule = pub.schedule;
	a->schedule_live = schedule_live;
	a->emit = emit;
	a->on_request = describe;
}

#define PUBLISH_OPTIONS \
	AG_OPT_STRING('d', "description", "text", &pub.description, \
	    "the description (default: the production's captions)"), \
	AG_OPT_BOOL('n', "dry-run", &pub.dry_run, \
	    "print the requests that would be sent, send nothing"), \
	AG_OPT_BOOL(0, "made-for-kids", &pub.kids, \
	    "declare the video made for children (YouTube)"), \
	AG_OPT_CHOICE(0, "privacy", "public|unlisted|private", &pub.privacy, \
	    "public,unlisted,private", \
	    "who may see the post (default: the account's setting)"), \
	AG_OPT_LIST(0, "tags", "tag,...", &pub.tags, \
	    "the tags (default: the production's captions)"), \
	AG_OPT_STRING(0, "title", "text", &pub.title, \
	    "the title (default: the production's captions)"), \
	AG_OPT_BOOL(0, "transcode", &pub.transcode, \
	    "make the rendition a target needs when the video does not fit")

static const struct ag_option options[] = {
	PUBLISH_OPTIONS,
	AG_OPT_STRING(0, "schedule", "id:revision", &pub.schedule,
	    "the calendar entry this publishes (agency-schedule)"),
	AG_OPT_LIST('t', "to", "account,...", &pub.to,
	    "publish to these accounts (platform:name; repeatable)"),
	AG_OPT_END
};

static int
publish(struct agency *ag, int argc, char **argv)
{
	struct upload_args a;
	const char **to, **tags;
	char *keep_to, *keep_tags;
	cJSON *doc = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, options,
	    "--to account[,account...] [options] [production.json]");
	if (argc > 1)
		ag_usage_error(ag, "unexpected argument '%s'", argv[1]);
	if (pub.to.n == 0)
		ag_usage_error(ag, "where to? give --to ACCOUNT (youtube:main, "
		    "dir:archive)");
	to = split(&pub.to, &keep_to);
	tags = split(&pub.tags, &keep_tags);
	fill_args(ag, &a, to, tags);
	a.name = ag_doc_name(argc ? argv[0] : NULL);
	if ((rc = ag_doc_read(ag, argc ? argv[0] : NULL, "agency.production",
	    &doc)) == AG_OK) {
		a.production = doc;
		rc = upload_run(ag, &a);
	}
	cJSON_Delete(doc);
	free(to);
	free(tags);
	free(keep_to);
	free(keep_tags);
	ag_strv_release(&pub.to);
	ag_strv_release(&pub.tags);
	return rc;
}

/* agency-upload resume */

static const struct ag_option resume_options[] = {
	PUBLISH_OPTIONS,
	AG_OPT_END
};

static int
resume_cmd(struct agency *ag, int argc, char **argv)
{
	struct upload_args a;
	const char **tags;
	char *keep;
	int rc;

	argc = ag_parse_options(ag, argc, argv, resume_options,
	    "[options] [account...]");
	tags = split(&pub.tags, &keep);
	fill_args(ag, &a, (const char **)argv, tags);
	rc = upload_resume(ag, &a);
	free(tags);
	free(keep);
	ag_strv_release(&pub.tags);
	return rc;
}

/* agency-upload status */

static int unfinished, remote;

static const struct ag_option status_options[] = {
	AG_OPT_BOOL('r', "remote", &remote,
	    "ask each platform where its published posts stand"),
	AG_OPT_BOOL('u', "unfinished", &unfinished,
	    "only journals not published yet"),
	AG_OPT_END
};

/* A string member for a table: "" when absent. */
static const char *
str(const cJSON *doc, const char *key)
{
	const char *s = ag_jstr(doc, key);

	return s ? s : "";
}

static int
status_row(void *arg, const cJSON *row)
{
	struct agency *ag = arg;
	char sent[48];

	if (ag->json || !isatty(STDOUT_FILENO))
		return ag_emit(ag, row);
	snprintf(sent, sizeof(sent), "%.0f/%.0f", ag_jnum(row, "sent", 0),
	    ag_jnum(row, "bytes", 0));
	printf("%-20s  %-16s  %-10s  %-21s  %-20s  %s\n", str(row, "account"),
	    str(row, "content_id"), str(row, "state"), sent,
	    str(row, "updated_at"), *str(row, "url") ? str(row, "url") :
	    str(row, "error"));
	return ferror(stdout) ? ag_fail(ag, AG_IOERR, "cannot write to "
	    "stdout:") : AG_OK;
}

static int
status_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, status_options,
	    "[-r] [-u] [account...]");
	if (!ag->json && isatty(STDOUT_FILENO))
		printf("%-20s  %-16s  %-10s  %-21s  %-20s  %s\n", "ACCOUNT",
		    "CONTENT", "STATE", "SENT/BYTES", "UPDATED", "URL/ERROR");
	return upload_journals(ag, (const char *const *)argv, unfinished,
	    remote, status_row, ag);
}

/* agency-upload accounts add|ls|rm */

static struct ag_strv sets;

static const struct ag_option add_options[] = {
	AG_OPT_LIST('s', "set", "key=value", &sets,
	    "an account setting (repeatable; key= removes it)"),
	AG_OPT_END
};

static int
print_account(struct agency *ag, const cJSON *row)
{
	const cJSON *set, *v;
	struct buf b = BUF_INIT;

	if (ag->json || !isatty(STDOUT_FILENO))
		return ag_emit(ag, row);
	set = cJSON_GetObjectItem(row, "settings");
	cJSON_ArrayForEach(v, set)
		buf_addf(&b, "%s%s=%s", b.len ? " " : "", v->string,
		    cJSON_IsString(v) ? v->valuestring : "?");
	printf("%-24s  %-16s  %-5s  %s%s%s\n", str(row, "name"),
	    str(row, "state"), cJSON_IsTrue(cJSON_GetObjectItem(row,
	    "has_credentials")) ? "yes" : "no", buf_str(&b),
	    *str(row, "reason") ? "  # " : "", str(row, "reason"));
	buf_release(&b);
	return ferror(stdout) ? ag_fail(ag, AG_IOERR, "cannot write to "
	    "stdout:") : AG_OK;
}

static void
account_header(struct agency *ag)
{
	if (!ag->json && isatty(STDOUT_FILENO))
		printf("%-24s  %-16s  %-5s  %s\n", "ACCOUNT", "STATE", "CREDS",
		    "SETTINGS");
}

static int
add_cmd(struct agency *ag, int argc, char **argv)
{
	cJSON *row = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, add_options,
	    "ACCOUNT [-s key=value]...");
	if (argc != 1)
		ag_usage_error(ag, "expected one ACCOUNT (platform:name)");
	rc = platform_account_add(ag, argv[0], sets.v, sets.n, &row);
	if (rc == AG_OK) {
		account_header(ag);
		rc = print_account(ag, row);
	}
	cJSON_Delete(row);
	ag_strv_release(&sets);
	return rc;
}

static int
ls_cmd(struct agency *ag, int argc, char **argv)
{
	const cJSON *r;
	cJSON *rows;
	int rc;

	argc = ag_parse_options(ag, argc, argv, no_options, "");
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	if ((rc = platform_account_list(ag, &rows)) != AG_OK)
		return rc;
	account_header(ag);
	cJSON_ArrayForEach(r, rows)
		if (rc == AG_OK)
			rc = print_account(ag, r);
	cJSON_Delete(rows);
	return rc;
}

static int
rm_cmd(struct agency *ag, int argc, char **argv)
{
	int i, rc, worst = AG_OK;

	argc = ag_parse_options(ag, argc, argv, no_options, "ACCOUNT...");
	if (argc == 0)
		ag_usage_error(ag, "which account?");
	for (i = 0; i < argc; i++) {
		rc = platform_account_remove(ag, argv[i]);
		if (rc != AG_OK && i + 1 < argc) {
			ag_print_error(ag, ag->err);
			ag_clear_error(ag);
		}
		if (rc > worst)
			worst = rc;
	}
	return worst;
}

static const struct ag_command account_commands[] = {
	{ "add", add_cmd, "add an account, or change its settings" },
	{ "ls", ls_cmd, "list the accounts and their state" },
	{ "rm", rm_cmd, "remove accounts and their credentials" },
	{ NULL, NULL, NULL }
};

static int
accounts_cmd(struct agency *ag, int argc, char **argv)
{
	return ag_run_command(ag, argc, argv, no_options, "COMMAND [ARG...]",
	    account_commands);
}

/* agency-upload auth */

static struct {
	const char *user;
	long long port;
	double timeout;
	int refresh;
} au = { .timeout = 300 };

static const struct ag_option auth_options[] = {
	AG_OPT_INT('p', "port", "n", &au.port, 0, 65535,
	    "the loopback redirect's port (default: any free one)"),
	AG_OPT_BOOL(0, "refresh", &au.refresh,
	    "refresh the tokens now, to check the account (OAuth)"),
	AG_OPT_DOUBLE(0, "timeout", "seconds", &au.timeout,
	    "how long to wait for the browser (default 300)"),
	AG_OPT_STRING('u', "user", "id", &au.user,
	    "the identifier: a Bluesky handle, an S3 access key id"),
	AG_OPT_END
};

static void
show_url(void *arg, const char *url)
{
	(void)arg;
	fprintf(stderr, "Open this address in a browser to authorize:\n\n"
	    "  %s\n\nwaiting for the redirect...\n", url);
	fflush(stderr);
}

/* One line of stdin, without echo on a terminal; new string or NULL. */
static char *
read_secret(const char *account)
{
	struct termios t, quiet;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int tty = isatty(STDIN_FILENO);

	if (tty) {
		fprintf(stderr, "secret for %s: ", account);
		tcgetattr(STDIN_FILENO, &t);
		quiet = t;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t);
		fputc('\n', stderr);
	}
	if (n <= 0) {
		free(line);
		return NULL;
	}
	line[strcspn(line, "\r\n")] = '\0';
	return line;
}

static int
auth_cmd(struct agency *ag, int argc, char **argv)
{
	struct platform_auth_args a;
	const struct platform_ops *ops;
	const char *colon;
	char platform[32], *secret = NULL;
	cJSON *row = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, auth_options,
	    "[--user id] [--port n] [--refresh] ACCOUNT");
	if (argc != 1)
		ag_usage_error(ag, "expected one ACCOUNT (platform:name)");
	memset(&a, 0, sizeof(a));
	a.account = argv[0];
	a.user = au.user;
	a.port = (int)au.port;
	a.timeout = au.timeout;
	a.refresh = au.refresh;
	a.show = show_url;
	colon = strchr(argv[0], ':');
	snprintf(platform, sizeof(platform), "%.*s", colon ?
	    (int)(colon - argv[0]) : 0, argv[0]);
	ops = platform_by_name(platform);
	if (ops != NULL && ops->auth != PLATFORM_AUTH_NONE &&
	    ops->auth != PLATFORM_AUTH_OAUTH)
		a.secret = secret = read_secret(argv[0]);
	rc = platform_account_auth(ag, &a, &row);
	if (rc == AG_OK) {
		account_header(ag);
		rc = print_account(ag, row);
	}
	cJSON_Delete(row);
	if (secret != NULL) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	return rc;
}

static const struct ag_command commands[] = {
	{ "accounts", accounts_cmd, "add, list and remove accounts" },
	{ "auth", auth_cmd, "authorize an account (OAuth, token, password)" },
	{ "resume", resume_cmd, "go on with every unfinished publish" },
	{ "status", status_cmd, "list the publish journals" },
	{ NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	struct agency ag;
	int rc;

	ag_init(&ag, argc, argv);
	rc = ag_run_main(&ag, argc, argv, commands, publish);
	return ag_finish(&ag, rc);
}

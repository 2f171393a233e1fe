/*
 * csv.c - importing posts from a spreadsheet, all or nothing.
 *
 * The file is RFC 4180 CSV (quotes, doubled quotes, commas and line
 * breaks inside quotes, CRLF or LF) with the columns date, time, tz,
 * production, accounts and caption, in that order, or in any order when
 * the first row names them.  Every row is added inside one store
 * transaction: the first bad row (by its line in the file) is reported as
 * FILE:LINE: why, and the transaction is rolled back, so an import either
 * adds every post or none.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schedule/internal.h"

#define MAXCSV (64u << 20)
#define NCOL 6

enum { C_DATE, C_TIME, C_TZ, C_PROD, C_ACCOUNTS, C_CAPTION };

static const char *const colnames[NCOL] = { "date", "time", "tz",
    "production", "accounts", "caption" };

struct reader {
	const char *p, *end;
	size_t line;
};

/*
 * One record's fields (new strings) into v (at most max); 0 at the end,
 * -1 for a quote that is never closed.
 */
static int
record(struct reader *r, char **v, size_t max, size_t *n)
{
	struct buf f = BUF_INIT;
	int quoted;

	*n = 0;
	if (r->p >= r->end)
		return 0;
	for (;;) {
		buf_reset(&f);
		buf_addstr(&f, "");
		quoted = 0;
		if (r->p < r->end && *r->p == '"') {
			quoted = 1;
			r->p++;
			for (;;) {
				if (r->p >= r->end) {
					buf_release(&f);
					return -1;
				}
				if (*r->p == '"' && r->p + 1 < r->end &&
				    r->p[1] == '"') {
					buf_addch(&f, '"');
					r->p += 2;
				} else if (*r->p == '"') {
					r->p++;
					break;
				} else {
					if (*r->p == '\n')
						r->line++;
					/* a line break inside quotes is
					 * one, CRLF or LF */
					if (!(*r->p == '\r' && r->p + 1 <
					    r->end && r->p[1] == '\n'))
						buf_addch(&f, *r->p);
					r->p++;
				}
			}
		}
		while (r->p < r->end && *r->p != ',' && *r->p != '\n') {
			if (!(quoted && (*r->p == '\r' || *r->p == ' ')))
				buf_addch(&f, *r->p);
			r->p++;
		}
		if (*n < max)
			v[*n] = buf_detach(&f);
		++*n;				/* counted, even past max */
		if (r->p >= r->end || *r->p == '\n') {
			if (r->p < r->end)
				r->p++;
			r->line++;
			break;
		}
		r->p++;			/* the comma */
	}
	buf_release(&f);
	/* A CR before the LF belongs to the line end. */
	if (*n > 0 && *n <= max) {
		size_t len = strlen(v[*n - 1]);

		if (len > 0 && v[*n - 1][len - 1] == '\r')
			v[*n - 1][len - 1] = '\0';
	}
	return 1;
}

static void
trim(char *s)
{
	size_t len = strlen(s), lead = strspn(s, " \t");

	while (len > lead && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	memmove(s, s + lead, len - lead);
	s[len - lead] = '\0';
}

static void
fields_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
}

/* Is this first row a header: one that names columns (any of them)? */
static int
is_header(char **v, size_t n)
{
	size_t i, k, named = 0;

	for (i = 0; i < n; i++)
		for (k = 0; k < NCOL; k++)
			if (strcasecmp(v[i], colnames[k]) == 0 ||
			    strcasecmp(v[i], "account") == 0) {
				named++;
				break;
			}
	return named > 0 && strcasecmp(v[0], "date") == 0 ? 1 : named == n;
}

/* The columns named by a header row; -1 (and ag->err) if one is not. */
static int
header(struct agency *ag, const char *path, char **v, size_t n, int *map)
{
	size_t i, k;

	for (i = 0; i < NCOL; i++)
		map[i] = -1;
	for (i = 0; i < n; i++) {
		for (k = 0; k < NCOL; k++)
			if (strcasecmp(v[i], colnames[k]) == 0 ||
			    (k == C_ACCOUNTS && strcasecmp(v[i], "account") ==
			    0))
				break;
		if (k == NCOL)
			return ag_fail(ag, AG_DATAERR, "%s:1: column '%s' is "
			    "not one of date, time, tz, production, accounts, "
			    "caption", ag_doc_name(path), v[i]);
		map[k] = (int)i;
	}
	if (map[C_DATE] < 0 || map[C_PROD] < 0 || map[C_ACCOUNTS] < 0)
		return ag_fail(ag, AG_DATAERR, "%s:1: the columns date, "
		    "production and accounts are needed", ag_doc_name(path));
	return AG_OK;
}

static const char *
col(char **v, size_t n, const int *map, int c)
{
	return map[c] >= 0 && (size_t)map[c] < n ? v[map[c]] : "";
}

/* One row: its post (one per account), added in the open transaction. */
static int
row(struct agency *ag, const char *path, const char *dir, size_t line,
    char **v, size_t n, const int *map, cJSON *all)
{
	const char *date = col(v, n, map, C_DATE), *time = col(v, n, map,
	    C_TIME), *prod = col(v, n, map, C_PROD);
	const char *caption = col(v, n, map, C_CAPTION);
	struct schedule_add a;
	struct ag_strv accts = { NULL, 0 }, caps = { NULL, 0 };
	char *at, *list, *p, *save = NULL, *file = NULL;
	cJSON *docs = NULL, *d;
	int64_t local;
	size_t i;
	int rc = AG_OK;

	at = *time ? xasprintf("%s %s", date, time) : xstrdup(date);
	list = xstrdup(col(v, n, map, C_ACCOUNTS));
	if (cal_parse(at, &local) == -1)
		rc = ag_fail(ag, AG_DATAERR, "date '%s' and time '%s' are not "
		    "a wall time (2026-12-01 and 09:00)", date, time);
	else if (*prod == '\0')
		rc = ag_fail(ag, AG_DATAERR, "no production");
	for (p = strtok_r(list, ",; \t", &save); p != NULL && rc == AG_OK;
	    p = strtok_r(NULL, ",; \t", &save)) {
		ag_strv_push(&accts, p);
		if (*caption)
			ag_strv_push(&caps, xasprintf("%s=%s", p, caption));
	}
	if (rc == AG_OK && accts.n == 0)
		rc = ag_fail(ag, AG_DATAERR, "no accounts");
	if (rc == AG_OK) {
		/* A relative path is relative to the file's folder. */
		if (*prod != '/' && dir != NULL && !(ag_starts_with(prod,
		    "c_") && strchr(prod, '.') == NULL))
			prod = file = xasprintf("%s/%s", dir, prod);
		memset(&a, 0, sizeof(a));
		a.production = prod;
		a.at = at;
		a.tz = *col(v, n, map, C_TZ) ? col(v, n, map, C_TZ) : NULL;
		a.accounts = accts.v;
		a.naccounts = accts.n;
		a.captions = caps.v;
		a.ncaptions = caps.n;
		if ((rc = schedule_add(ag, &a, &docs)) == AG_OK) {
			while ((d = cJSON_DetachItemFromArray(docs, 0)) != NULL)
				cJSON_AddItemToArray(all, d);
			cJSON_Delete(docs);
		}
	}
	if (rc != AG_OK)
		ag_prefix(ag, "%s:%zu", ag_doc_name(path), line);
	for (i = 0; i < caps.n; i++)
		free((char *)caps.v[i]);
	ag_strv_release(&caps);
	ag_strv_release(&accts);
	free(file);
	free(list);
	free(at);
	return rc;
}

int
schedule_import(struct agency *ag, const char *path, cJSON **docs)
{
	struct buf b = BUF_INIT;
	struct reader r;
	struct store *st;
	char *v[16], *dir = NULL, *slash;
	int map[NCOL], k, rc, first = 1;
	size_t n, line, i;
	cJSON *all = NULL;

	if ((rc = ag_read_file(ag, path, MAXCSV, &b)) != AG_OK)
		return rc;
	if (strcmp(path, "-") != 0 && (slash = strrchr(path, '/')) != NULL)
		dir = xstrndup(path, (size_t)(slash - path));
	for (i = 0; i < NCOL; i++)
		map[i] = (int)i;
	r.p = buf_str(&b);
	r.end = r.p + b.len;
	r.line = 1;
	if ((rc = ag_store(ag, &st)) != AG_OK ||
	    (rc = store_begin(ag, st)) != AG_OK)
		goto out;
	all = cJSON_CreateArray();
	for (;;) {
		line = r.line;
		k = record(&r, v, 16, &n);
		if (k == 0)
			break;
		if (k < 0) {
			rc = ag_fail(ag, AG_DATAERR, "%s:%zu: a quote that is "
			    "never closed", ag_doc_name(path), line);
			break;
		}
		for (i = 0; i < n && i < 16; i++)
			trim(v[i]);
		if (n == 1 && v[0][0] == '\0') {	/* a blank line */
			fields_free(v, n);
			continue;
		}
		if (n > 16 || (first && !is_header(v, n) && n > NCOL)) {
			rc = ag_fail(ag, AG_DATAERR, "%s:%zu: %zu columns, "
			    "expected at most %d (date, time, tz, production, "
			    "accounts, caption)", ag_doc_name(path), line, n,
			    NCOL);
			fields_free(v, n < 16 ? n : 16);
			break;
		}
		if (first && is_header(v, n)) {
			rc = header(ag, path, v, n, map);
			first = 0;
			fields_free(v, n);
			if (rc != AG_OK)
				break;
			continue;
		}
		first = 0;
		rc = row(ag, path, dir, line, v, n, map, all);
		fields_free(v, n);
		if (rc != AG_OK)
			break;
	}
	if (rc != AG_OK) {
		store_rollback(st);
		cJSON_Delete(all);
		goto out;
	}
	if ((rc = store_commit(ag, st)) != AG_OK) {
		cJSON_Delete(all);
		goto out;
	}
	*docs = all;
out:
	free(dir);
	buf_release(&b);
	return rc;
}

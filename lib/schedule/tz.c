/*
 * tz.c - wall-clock dates and time zones, from the system's TZif files.
 *
 * Why our own reader.  The C library converts times through the process's
 * zone: localtime_r() and mktime() read TZ, and the only way to ask about
 * another zone is to change TZ for the whole process (setenv + tzset),
 * which is global state, not thread-safe, and exactly how servers end up
 * posting an hour off.  A calendar must mean the same instants whatever
 * zone it runs in.  So this file reads /usr/share/zoneinfo (Debian's
 * tzdata; $TZDIR elsewhere) itself: TZif is a small, stable format
 * (RFC 8536), and a zone is a sorted list of transitions plus, for times
 * past the last one, a POSIX TZ rule in the file's footer
 * ("CET-1CEST,M3.5.0,M10.5.0/3").  About 400 lines, no state but a cache,
 * and zone updates still come from the tzdata package.
 *
 * Converting a wall time to an instant.  Take the offsets in force a day
 * before and a day after (real zones never change twice in two days).
 * The wall time minus each is a candidate; one whose offset is the one it
 * was computed with is a real reading of the wall clock.  Two readings:
 * the clocks fell back and the wall time happened twice; we take the
 * first (RFC 5545 3.3.5).  None: the clocks jumped over it; we read it
 * with the offset before the jump, which moves it forward by the jump
 * (02:30 on the spring-forward night in Berlin is 03:30 CEST), so a post
 * is never dropped.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"
#include "schedule/schedule.h"

#define MAXFILE (1u << 20)
#define DAY 86400

/* ------------------------------------------------------------------ */
/* The calendar (Howard Hinnant's days_from_civil and back). */

int64_t
cal_days(int y, int m, int d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
cal_date(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
cal_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3). */
	int64_t w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int
cal_month_days(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : n[m - 1];
}

int64_t
cal_local(int y, int m, int d, int hh, int mm, int ss)
{
	return cal_days(y, m, d) * DAY + hh * 3600 + mm * 60 + ss;
}

static int64_t
floordiv(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void
cal_fields(int64_t local, struct cal *c)
{
	int64_t days = floordiv(local, DAY), s = local - days * DAY;

	cal_date(days, &c->y, &c->m, &c->d);
	c->hh = (int)(s / 3600);
	c->mm = (int)(s / 60 % 60);
	c->ss = (int)(s % 60);
	c->wday = cal_weekday(days);
}

char *
cal_format(int64_t local, char *buf)
{
	struct cal c;

	cal_fields(local, &c);
	snprintf(buf, 20, "%04d-%02d-%02dT%02d:%02d:%02d", c.y % 10000, c.m,
	    c.d, c.hh, c.mm, c.ss);
	return buf;
}

static int
num(const char **p, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int
cal_parse(const char *s, int64_t *local)
{
	const char *p = s;
	int y, m, d, hh = 0, mm = 0, ss = 0;

	if (num(&p, 4, &y) || *p++ != '-' || num(&p, 2, &m) || *p++ != '-' ||
	    num(&p, 2, &d))
		return -1;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		p++;
		/* "9:00" as well as "09:00" */
		if (p[1] == ':' && p[0] >= '0' && p[0] <= '9') {
			hh = p[0] - '0';
			p++;
		} else if (num(&p, 2, &hh)) {
			return -1;
		}
		if (*p++ != ':' || num(&p, 2, &mm))
			return -1;
		if (*p == ':' && (p++, num(&p, 2, &ss)))
			return -1;
	}
	if (*p != '\0' || m < 1 || m > 12 || d < 1 ||
	    d > cal_month_days(y, m) || hh > 23 || mm > 59 || ss > 59)
		return -1;
	*local = cal_local(y, m, d, hh, mm, ss);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Zones. */

struct ttype {
	int32_t off;
	int isdst;
	char abbr[16];
};

/* A date of a POSIX TZ rule: Jn (1-365, no Feb 29), n (0-365) or
 * Mm.w.d, and the local time of the change. */
struct pdate {
	char kind;			/* 'J', 'N' or 'M' */
	int n, m, w, d;			/* d: 0 Sunday, as POSIX has it */
	int32_t time;
};

struct prule {
	int32_t std_off, dst_off;	/* seconds east of UTC */
	char std_abbr[16], dst_abbr[16];
	int has_dst;
	struct pdate start, end;
};

struct tz {
	char *name;
	int64_t *trans;
	unsigned char *idx;
	size_t ntrans;
	struct ttype *types;
	size_t ntypes;
	int has_rule;
	struct prule rule;
	struct ttype rule_std, rule_dst;	/* the rule's two types */
	struct tz *next;
};

static struct tz *cache;

const char *
tz_name(const struct tz *z)
{
	return z->name;
}

static int
name_ok(const char *name)
{
	const char *p;
	size_t len = 0;

	if (name == NULL || !((*name >= 'A' && *name <= 'Z') ||
	    (*name >= 'a' && *name <= 'z')) || strlen(name) > 100)
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (*p == '/') {
			if (len == 0)
				return 0;
			len = 0;
			continue;
		}
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' ||
		    *p == '+'))
			return 0;
		len++;
	}
	return len > 0;
}

static const char *
zonedir(void)
{
	const char *d = getenv("TZDIR");

	return d != NULL && *d == '/' ? d : "/usr/share/zoneinfo";
}

static int32_t
be32(const unsigned char *p)
{
	return (int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3]);
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)(uint32_t)be32(p) << 32 |
	    (uint32_t)be32(p + 4));
}

/* --- POSIX TZ strings (the TZif footer) --- */

static const char *
pabbr(const char *p, char *out, size_t len)
{
	size_t n = 0;

	if (*p == '<') {
		for (p++; *p != '>' && *p != '\0'; p++)
			if (n + 1 < len)
				out[n++] = *p;
		if (*p != '>')
			return NULL;
		p++;
	} else {
		for (; (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z');
		    p++)
			if (n + 1 < len)
				out[n++] = *p;
	}
	out[n] = '\0';
	return n >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536 allows that in rules). */
static const char *
ptime(const char *p, int32_t *out)
{
	int sign = 1, h = 0, m = 0, s = 0, k = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	while (*p >= '0' && *p <= '9' && k < 3) {
		h = h * 10 + (*p++ - '0');
		k++;
	}
	if (k == 0 || h > 167)
		return NULL;
	if (*p == ':') {
		p++;
		if (!(p[0] >= '0' && p[0] <= '5' && p[1] >= '0' && p[1] <= '9'))
			return NULL;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p == ':') {
			p++;
			if (!(p[0] >= '0' && p[0] <= '5' && p[1] >= '0' &&
			    p[1] <= '9'))
				return NULL;
			s = (p[0] - '0') * 10 + (p[1] - '0');
			p += 2;
		}
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *
pint(const char *p, int lo, int hi, int *out)
{
	int v = 0, k = 0;

	while (*p >= '0' && *p <= '9' && k < 4) {
		v = v * 10 + (*p++ - '0');
		k++;
	}
	if (k == 0 || v < lo || v > hi)
		return NULL;
	*out = v;
	return p;
}

static const char *
pdate(const char *p, struct pdate *d)
{
	memset(d, 0, sizeof(*d));
	d->time = 7200;
	if (*p == 'M') {
		d->kind = 'M';
		if ((p = pint(p + 1, 1, 12, &d->m)) == NULL || *p++ != '.' ||
		    (p = pint(p, 1, 5, &d->w)) == NULL || *p++ != '.' ||
		    (p = pint(p, 0, 6, &d->d)) == NULL)
			return NULL;
	} else if (*p == 'J') {
		d->kind = 'J';
		if ((p = pint(p + 1, 1, 365, &d->n)) == NULL)
			return NULL;
	} else {
		d->kind = 'N';
		if ((p = pint(p, 0, 365, &d->n)) == NULL)
			return NULL;
	}
	if (*p == '/' && (p = ptime(p + 1, &d->time)) == NULL)
		return NULL;
	return p;
}

static int
prule_parse(const char *s, struct prule *r)
{
	const char *p = s;
	int32_t off;

	memset(r, 0, sizeof(*r));
	if ((p = pabbr(p, r->std_abbr, sizeof(r->std_abbr))) == NULL ||
	    (p = ptime(p, &off)) == NULL)
		return -1;
	r->std_off = -off;		/* POSIX counts west of UTC */
	if (*p == '\0')
		return 0;
	if ((p = pabbr(p, r->dst_abbr, sizeof(r->dst_abbr))) == NULL)
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if ((p = ptime(p, &off)) == NULL)
			return -1;
		r->dst_off = -off;
	}
	if (*p == '\0') {		/* the US rules, by POSIX default */
		p = "M3.2.0,M11.1.0";
	} else if (*p++ != ',') {
		return -1;
	}
	if ((p = pdate(p, &r->start)) == NULL || *p++ != ',' ||
	    (p = pdate(p, &r->end)) == NULL || *p != '\0')
		return -1;
	return 0;
}

/* Local seconds of the change d in year y (its time not yet added). */
static int64_t
pdate_day(const struct pdate *d, int y)
{
	int64_t days, first;
	int leap = cal_month_days(y, 2) == 29, wd, md;

	switch (d->kind) {
	case 'J':
		days = cal_days(y, 1, 1) + d->n - 1;
		if (leap && d->n >= 60)
			days++;
		break;
	case 'N':
		days = cal_days(y, 1, 1) + d->n;
		break;
	default:
		first = cal_days(y, d->m, 1);
		/* POSIX d: 0 is Sunday; cal_weekday: 6 is Sunday. */
		wd = (cal_weekday(first) + 1) % 7;
		md = 1 + (d->d - wd + 7) % 7 + (d->w - 1) * 7;
		while (md > cal_month_days(y, d->m))
			md -= 7;
		days = first + md - 1;
		break;
	}
	return days * DAY;
}

/* The type zone z's rule puts in force at instant t. */
static const struct ttype *
prule_at(const struct tz *z, int64_t t)
{
	const struct prule *r = &z->rule;
	struct cal c;
	int64_t start, end;
	int dst;

	if (!r->has_dst)
		return &z->rule_std;
	cal_fields(t + r->std_off, &c);
	start = pdate_day(&r->start, c.y) + r->start.time - r->std_off;
	end = pdate_day(&r->end, c.y) + r->end.time - r->dst_off;
	if (start < end)
		dst = t >= start && t < end;
	else				/* southern hemisphere */
		dst = !(t >= end && t < start);
	return dst ? &z->rule_dst : &z->rule_std;
}

/* --- TZif --- */

struct hdr {
	int32_t isut, isstd, leap, time, type, chars;
};

static int
header(const unsigned char *p, size_t len, struct hdr *h)
{
	if (len < 44 || memcmp(p, "TZif", 4) != 0)
		return -1;
	h->isut = be32(p + 20);
	h->isstd = be32(p + 24);
	h->leap = be32(p + 28);
	h->time = be32(p + 32);
	h->type = be32(p + 36);
	h->chars = be32(p + 40);
	if (h->isut < 0 || h->isstd < 0 || h->leap < 0 || h->time < 0 ||
	    h->type < 1 || h->type > 255 || h->chars < 1 || h->time > 100000 ||
	    h->chars > 100000 || h->leap > 100000)
		return -1;
	return 0;
}

static size_t
block_len(const struct hdr *h, int wide)
{
	size_t t = wide ? 8 : 4;

	return (size_t)h->time * (t + 1) + (size_t)h->type * 6 +
	    (size_t)h->chars + (size_t)h->leap * (t + 4) + (size_t)h->isstd +
	    (size_t)h->isut;
}

static int
parse(const unsigned char *p, size_t len, struct tz *z)
{
	const unsigned char *data, *types, *chars, *end = p + len;
	struct hdr h;
	size_t i, tl = 4, blen;
	int wide = 0;
	char footer[128];
	const unsigned char *f, *nl;

	if (header(p, len, &h) == -1)
		return -1;
	data = p + 44;
	blen = block_len(&h, 0);
	if ((size_t)(end - data) < blen)
		return -1;
	if (p[4] >= '2') {		/* skip to the 64-bit block */
		p = data + blen;
		if (header(p, (size_t)(end - p), &h) == -1)
			return -1;
		data = p + 44;
		wide = 1;
		tl = 8;
		blen = block_len(&h, 1);
		if ((size_t)(end - data) < blen)
			return -1;
	}
	if (h.leap > 0)
		return -2;
	z->ntrans = (size_t)h.time;
	z->trans = xcalloc(z->ntrans + 1, sizeof(*z->trans));
	z->idx = xcalloc(z->ntrans + 1, 1);
	for (i = 0; i < z->ntrans; i++) {
		z->trans[i] = wide ? be64(data + i * 8) : be32(data + i * 4);
		z->idx[i] = data[z->ntrans * tl + i];
		if (z->idx[i] >= h.type || (i > 0 &&
		    z->trans[i] <= z->trans[i - 1]))
			return -1;
	}
	types = data + z->ntrans * (tl + 1);
	chars = types + (size_t)h.type * 6;
	z->ntypes = (size_t)h.type;
	z->types = xcalloc(z->ntypes, sizeof(*z->types));
	for (i = 0; i < z->ntypes; i++) {
		const unsigned char *t = types + i * 6;

		z->types[i].off = be32(t);
		z->types[i].isdst = t[4] != 0;
		if (t[5] >= h.chars)
			return -1;
		snprintf(z->types[i].abbr, sizeof(z->types[i].abbr), "%.*s",
		    (int)strnlen((const char *)chars + t[5],
		    (size_t)h.chars - t[5]), chars + t[5]);
		if (z->types[i].off < -26 * 3600 || z->types[i].off > 26 * 3600)
			return -1;
	}
	f = data + blen;
	if (wide && f < end && *f == '\n') {
		nl = memchr(f + 1, '\n', (size_t)(end - f - 1));
		if (nl != NULL && nl > f + 1 &&
		    (size_t)(nl - f - 1) < sizeof(footer)) {
			memcpy(footer, f + 1, (size_t)(nl - f - 1));
			footer[nl - f - 1] = '\0';
			z->has_rule = prule_parse(footer, &z->rule) == 0;
		}
	}
	if (z->has_rule) {
		z->rule_std.off = z->rule.std_off;
		snprintf(z->rule_std.abbr, sizeof(z->rule_std.abbr), "%s",
		    z->rule.std_abbr);
		z->rule_dst.off = z->rule.dst_off;
		z->rule_dst.isdst = 1;
		snprintf(z->rule_dst.abbr, sizeof(z->rule_dst.abbr), "%s",
		    z->rule.dst_abbr);
	}
	return 0;
}

static void
tz_free(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->name);
	free(z->trans);
	free(z->idx);
	free(z->types);
	free(z);
}

/* UTC needs no file: a system without tzdata still has it. */
static struct ttype utc_type = { .abbr = "UTC" };
static struct tz utc_zone = { .name = "UTC", .types = &utc_type,
    .ntypes = 1 };

int
tz_load(struct agency *ag, const char *name, const struct tz **out)
{
	struct buf b = BUF_INIT;
	struct tz *z;
	char *path;
	int rc;

	for (z = cache; z != NULL; z = z->next)
		if (strcmp(z->name, name) == 0) {
			*out = z;
			return AG_OK;
		}
	if (!name_ok(name))
		return ag_fail(ag, AG_USAGE, "'%s' is not a time zone name "
		    "(Europe/Berlin, America/New_York, UTC)", name);
	path = xasprintf("%s/%s", zonedir(), name);
	rc = ag_read_file(ag, path, MAXFILE, &b);
	if (rc != AG_OK && strcmp(name, "UTC") == 0) {
		ag_clear_error(ag);
		*out = &utc_zone;
		rc = AG_OK;
		goto out;
	}
	if (rc != AG_OK) {
		rc = ag_fail(ag, AG_USAGE, "unknown time zone '%s': no such "
		    "zone in %s (is tzdata installed?)", name, zonedir());
		goto out;
	}
	z = xcalloc(1, sizeof(*z));
	z->name = xstrdup(name);
	switch (parse((const unsigned char *)b.data, b.len, z)) {
	case 0:
		z->next = cache;
		cache = z;
		*out = z;
		break;
	case -2:
		rc = ag_fail(ag, AG_USAGE, "time zone '%s' counts leap "
		    "seconds; use the zone without the 'right/' prefix", name);
		tz_free(z);
		break;
	default:
		rc = ag_fail(ag, AG_DATAERR, "time zone '%s': '%s' is not a "
		    "TZif file", name, path);
		tz_free(z);
		break;
	}
out:
	buf_release(&b);
	free(path);
	return rc;
}

/* The zone name in a path into the zone folder, or NULL. */
static const char *
in_zonedir(const char *path)
{
	const char *dirs[] = { zonedir(), "/usr/share/zoneinfo",
	    "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo" };
	size_t i, n;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		n = strlen(dirs[i]);
		if (strncmp(path, dirs[i], n) == 0 && path[n] == '/')
			return path + n + 1;
	}
	/* "../usr/share/zoneinfo/Europe/Berlin" and the like */
	path = strstr(path, "zoneinfo/");
	return path ? path + 9 : NULL;
}

int
tz_default(struct agency *ag, const struct tz **out)
{
	const char *name = config_str(ag, "schedule.tz"), *env, *n;
	char link[PATH_MAX], line[128];
	struct buf b = BUF_INIT;
	ssize_t len;
	int rc;

	if (name != NULL && *name != '\0')
		return tz_load(ag, name, out);
	if ((env = getenv("TZ")) != NULL) {
		if (*env == ':')
			env++;
		if (*env == '\0')
			return tz_load(ag, "UTC", out);
		if (*env == '/' && (n = in_zonedir(env)) != NULL)
			env = n;
		if (name_ok(env) && strpbrk(env, "0123456789,<") == NULL) {
			if (tz_load(ag, env, out) == AG_OK)
				return AG_OK;
		} else if (name_ok(env) && tz_load(ag, env, out) == AG_OK) {
			return AG_OK;	/* Etc/GMT+5 and friends */
		}
		return ag_fail(ag, AG_CONFIG, "TZ '%s' is not the name of an "
		    "installed time zone; give --tz or set schedule.tz (a "
		    "calendar stores zone names such as Europe/Berlin)", env);
	}
	len = readlink("/etc/localtime", link, sizeof(link) - 1);
	if (len > 0) {
		link[len] = '\0';
		if ((n = in_zonedir(link)) != NULL && name_ok(n) &&
		    tz_load(ag, n, out) == AG_OK)
			return AG_OK;
	}
	ag_clear_error(ag);
	if (ag_read_file(ag, "/etc/timezone", sizeof(line), &b) == AG_OK) {
		snprintf(line, sizeof(line), "%s", buf_str(&b));
		line[strcspn(line, " \t\r\n")] = '\0';
		buf_release(&b);
		if (name_ok(line) && tz_load(ag, line, out) == AG_OK)
			return AG_OK;
	}
	buf_release(&b);
	ag_clear_error(ag);
	rc = tz_load(ag, "UTC", out);
	return rc;
}

/* The type in force at instant t. */
static const struct ttype *
type_at(const struct tz *z, int64_t t)
{
	size_t lo = 0, hi = z->ntrans, mid;

	if (z->ntrans == 0 || t < z->trans[0]) {
		if (z->ntrans == 0 && z->has_rule)
			return prule_at(z, t);
		return &z->types[0];
	}
	if (t >= z->trans[z->ntrans - 1] && z->has_rule)
		return prule_at(z, t);
	while (hi - lo > 1) {		/* the last transition <= t */
		mid = lo + (hi - lo) / 2;
		if (z->trans[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return &z->types[z->idx[lo]];
}

int
tz_offset(const struct tz *z, int64_t t, int *isdst, const char **abbr)
{
	const struct ttype *ty = type_at(z, t);

	if (isdst != NULL)
		*isdst = ty->isdst;
	if (abbr != NULL)
		*abbr = ty->abbr;
	return ty->off;
}

int64_t
tz_local(const struct tz *z, int64_t t)
{
	return t + tz_offset(z, t, NULL, NULL);
}

int64_t
tz_instant(const struct tz *z, int64_t local, enum tz_fit *fit)
{
	int before = tz_offset(z, local - DAY, NULL, NULL);
	int after = tz_offset(z, local + DAY, NULL, NULL);
	int64_t tb = local - before, ta = local - after;
	int okb = tz_offset(z, tb, NULL, NULL) == before;
	int oka = tz_offset(z, ta, NULL, NULL) == after;

	if (fit != NULL)
		*fit = TZ_EXACT;
	if (okb && oka && tb != ta) {
		if (fit != NULL)
			*fit = TZ_TWICE;
		return tb < ta ? tb : ta;
	}
	if (okb)
		return tb;
	if (oka)
		return ta;
	/* Neither: the clocks jumped over local.  Read it with the offset
	 * before the jump, which moves it forward by the jump. */
	if (fit != NULL)
		*fit = TZ_GAP;
	return tb;
}

char *
tz_format(const struct tz *z, int64_t t, char *buf)
{
	const char *abbr;
	int off = tz_offset(z, t, NULL, &abbr), a = off < 0 ? -off : off;
	char local[20];

	cal_format(t + off, local);
	if (off == 0 && strcmp(abbr, "UTC") == 0)
		snprintf(buf, AG_TIMEBUF, "%sZ", local);
	else if (a % 60 != 0)		/* LMT of old dates: seconds */
		snprintf(buf, AG_TIMEBUF, "%s%c%02d:%02d", local,
		    off < 0 ? '-' : '+', a / 3600, (a / 60 % 60) +
		    (a % 60 >= 30));
	else
		snprintf(buf, AG_TIMEBUF, "%s%c%02d:%02d", local,
		    off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	return buf;
}

int
tz_rules(const struct tz *z, struct tz_rules *out)
{
	const struct prule *r = &z->rule;

	if (!z->has_rule)
		return AG_FALSE;
	memset(out, 0, sizeof(*out));
	out->std_off = r->std_off;
	out->dst_off = r->has_dst ? r->dst_off : r->std_off;
	out->std_abbr = r->std_abbr;
	out->dst_abbr = r->has_dst ? r->dst_abbr : r->std_abbr;
	out->has_dst = r->has_dst;
	if (!r->has_dst)
		return AG_OK;
	/* iCalendar rules name a weekday of a month: Mm.w.d only, and a
	 * change within the day it names. */
	if (r->start.kind != 'M' || r->end.kind != 'M' ||
	    r->start.time < 0 || r->start.time >= DAY || r->end.time < 0 ||
	    r->end.time >= DAY)
		return AG_FALSE;
	out->to_dst.month = r->start.m;
	out->to_dst.week = r->start.w == 5 ? -1 : r->start.w;
	out->to_dst.wday = (r->start.d + 6) % 7;
	out->to_dst.time = r->start.time;
	out->to_std.month = r->end.m;
	out->to_std.week = r->end.w == 5 ? -1 : r->end.w;
	out->to_std.wday = (r->end.d + 6) % 7;
	out->to_std.time = r->end.time;
	return AG_OK;
}

int
tz_transitions(const struct tz *z, int64_t from, int64_t to,
    struct tz_transition **out, size_t *n)
{
	struct tz_transition *v = NULL;
	size_t len = 0;
	int64_t t = from, lo, hi, mid;
	int off, next;
	const char *abbr;
	int isdst;

	/* Walk in steps of a week and find each change by bisection:
	 * simple, and the same for the table and the rule. */
	off = tz_offset(z, t, NULL, NULL);
	while (t < to) {
		int64_t step = t + 7 * DAY < to ? t + 7 * DAY : to;

		next = tz_offset(z, step, NULL, NULL);
		if (next == off) {
			t = step;
			continue;
		}
		lo = t;
		hi = step;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (tz_offset(z, mid, NULL, NULL) == off)
				lo = mid;
			else
				hi = mid;
		}
		next = tz_offset(z, hi, &isdst, &abbr);
		v = xreallocarray(v, len + 1, sizeof(*v));
		v[len].at = hi;
		v[len].off_before = off;
		v[len].off_after = next;
		v[len].isdst = isdst;
		v[len].abbr = abbr;
		len++;
		off = next;
		t = hi;
	}
	*out = v;
	*n = len;
	return AG_OK;
}

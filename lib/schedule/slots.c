/*
 * slots.c - posting slots, Buffer-style: each account has a week of wall
 * times ("mon-fri 09:00,17:30") in a zone of its own; "add --slot" puts a
 * post in the account's first free slot.
 *
 * Slots are wall times, and the zone is a name, so 09:00 New York is
 * 09:00 New York in July and in December (postiz stores UTC minutes from a
 * numeric offset and its slots move by an hour at every change, see
 * ../shared/reference/queue.md 4d).  A slot is taken by any post of the
 * account, but a cancelled one, in the same minute.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schedule/internal.h"

#define DAY 86400

const char *const sched_wday_ical[7] = { "MO", "TU", "WE", "TH", "FR", "SA",
    "SU" };
const char *const sched_wday_short[7] = { "mon", "tue", "wed", "thu", "fri",
    "sat", "sun" };
static const char *const wday_long[7] = { "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday" };

static int
one_day(const char *s, size_t len)
{
	int i;

	if (len < 2)
		return -1;
	for (i = 0; i < 7; i++)
		if ((len <= 3 && strncasecmp(s, sched_wday_short[i], len) ==
		    0) || (len == strlen(wday_long[i]) &&
		    strncasecmp(s, wday_long[i], len) == 0))
			return i;
	return -1;
}

int
sched_days_parse(const char *s, unsigned *mask)
{
	const char *p = s, *end, *dash;
	unsigned m = 0;
	int a, b;

	if (strcasecmp(s, "daily") == 0 || strcasecmp(s, "everyday") == 0) {
		*mask = 0x7f;
		return 0;
	}
	if (strcasecmp(s, "weekdays") == 0) {
		*mask = 0x1f;
		return 0;
	}
	if (strcasecmp(s, "weekends") == 0 || strcasecmp(s, "weekend") == 0) {
		*mask = 0x60;
		return 0;
	}
	while (*p != '\0') {
		end = p + strcspn(p, ",");
		dash = memchr(p, '-', (size_t)(end - p));
		if (dash != NULL) {
			if ((a = one_day(p, (size_t)(dash - p))) < 0 ||
			    (b = one_day(dash + 1, (size_t)(end - dash - 1))) <
			    0)
				return -1;
			for (;; a = (a + 1) % 7) {	/* fri-mon wraps */
				m |= 1u << a;
				if (a == b)
					break;
			}
		} else {
			if ((a = one_day(p, (size_t)(end - p))) < 0)
				return -1;
			m |= 1u << a;
		}
		p = *end == ',' ? end + 1 : end;
		if (*end == ',' && *p == '\0')
			return -1;
	}
	if (m == 0)
		return -1;
	*mask = m;
	return 0;
}

char *
sched_days_format(unsigned mask, char *buf, size_t len)
{
	size_t n = 0;
	int i, j;

	buf[0] = '\0';
	if ((mask & 0x7f) == 0x7f) {
		snprintf(buf, len, "daily");
		return buf;
	}
	for (i = 0; i < 7; i = j) {
		if (!(mask & (1u << i))) {
			j = i + 1;
			continue;
		}
		for (j = i; j < 7 && (mask & (1u << j)); j++)
			;
		if (j - i >= 3)
			n += (size_t)snprintf(buf + n, len - n, "%s%s-%s",
			    n ? "," : "", sched_wday_short[i],
			    sched_wday_short[j - 1]);
		else
			for (; i < j; i++)
				n += (size_t)snprintf(buf + n, len - n, "%s%s",
				    n ? "," : "", sched_wday_short[i]);
		if (n >= len)
			break;
	}
	return buf;
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

void
sched_times_sort(int *mins, size_t *n)
{
	size_t i, j;

	qsort(mins, *n, sizeof(*mins), cmp_int);
	for (i = j = 0; i < *n; i++)
		if (j == 0 || mins[j - 1] != mins[i])
			mins[j++] = mins[i];
	*n = j;
}

int
sched_times_parse(const char *s, int *mins, size_t max, size_t *n)
{
	const char *p = s;
	size_t k = 0;
	int h, m;

	while (*p != '\0') {
		if (p[0] < '0' || p[0] > '9')
			return -1;
		h = p[0] - '0';
		p++;
		if (*p >= '0' && *p <= '9')
			h = h * 10 + (*p++ - '0');
		if (*p++ != ':' || p[0] < '0' || p[0] > '5' || p[1] < '0' ||
		    p[1] > '9' || h > 23)
			return -1;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
		if (*p != ',' && *p != '\0')
			return -1;
		if (*p == ',' && *++p == '\0')
			return -1;
		if (k >= max)
			return -1;
		mins[k++] = h * 60 + m;
	}
	if (k == 0)
		return -1;
	sched_times_sort(mins, &k);
	*n = k;
	return 0;
}

int
slots_parse(struct agency *ag, const char *text, struct slots *s)
{
	char *copy = xstrdup(text), *group, *gsave = NULL, *w, *wsave = NULL;
	unsigned mask;
	size_t n;
	int rc = AG_OK, times;

	memset(s, 0, sizeof(*s));
	for (group = strtok_r(copy, ";", &gsave); group != NULL && rc == AG_OK;
	    group = strtok_r(NULL, ";", &gsave)) {
		if (group[strspn(group, " \t")] == '\0')
			continue;
		if (s->ngroups >= 8) {
			rc = ag_fail(ag, AG_USAGE, "slots '%s': at most 8 "
			    "groups of days", text);
			break;
		}
		times = 0;
		for (w = strtok_r(group, " \t", &wsave); w != NULL;
		    w = strtok_r(NULL, " \t", &wsave)) {
			if (sched_days_parse(w, &mask) == 0) {
				s->days[s->ngroups] |= (uint8_t)mask;
			} else if (sched_times_parse(w,
			    s->times[s->ngroups] + s->ntimes[s->ngroups],
			    48 - s->ntimes[s->ngroups], &n) == 0) {
				s->ntimes[s->ngroups] += n;
				times = 1;
			} else {
				rc = ag_fail(ag, AG_USAGE, "slots '%s': '%s' "
				    "is neither days (mon-fri, sat,sun, daily) "
				    "nor times (09:00,17:30)", text, w);
				break;
			}
		}
		if (rc != AG_OK)
			break;
		if (!times) {
			rc = ag_fail(ag, AG_USAGE, "slots '%s': which times "
			    "of day? (mon-fri 09:00,17:30)", text);
			break;
		}
		if (s->days[s->ngroups] == 0)
			s->days[s->ngroups] = 0x7f;
		/* sort and drop repeats across the words of the group */
		n = s->ntimes[s->ngroups];
		sched_times_sort(s->times[s->ngroups], &n);
		s->ntimes[s->ngroups] = n;
		s->ngroups++;
	}
	free(copy);
	if (rc == AG_OK && s->ngroups == 0)
		rc = ag_fail(ag, AG_USAGE, "slots '%s': no slots (mon-fri "
		    "09:00,17:30)", text);
	return rc;
}

char *
slots_format(const struct slots *s)
{
	struct buf b = BUF_INIT;
	char days[64];
	size_t g, i;

	buf_addstr(&b, "");
	for (g = 0; g < s->ngroups; g++) {
		buf_addf(&b, "%s%s ", g ? "; " : "",
		    sched_days_format(s->days[g], days, sizeof(days)));
		for (i = 0; i < s->ntimes[g]; i++)
			buf_addf(&b, "%s%02d:%02d", i ? "," : "",
			    s->times[g][i] / 60, s->times[g][i] % 60);
	}
	return buf_detach(&b);
}

/* Is there a taken instant in [t, t + 60)? */
static int
is_taken(const int64_t *v, size_t n, int64_t t)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {		/* the first >= t */
		mid = lo + (hi - lo) / 2;
		if (v[mid] < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] < t + 60;
}

int64_t
slots_next(const struct slots *s, const struct tz *z, int64_t now,
    const int64_t *taken, size_t n)
{
	int64_t day = tz_local(z, now), last = n ? taken[n - 1] : now, t;
	int mins[8 * 48] = { 0 };
	size_t g, i, k;
	int w;

	day = (day - ((day % DAY) + DAY) % DAY) / DAY;
	for (;; day++) {
		w = cal_weekday(day);
		for (g = 0, k = 0; g < s->ngroups; g++)
			if (s->days[g] & (1u << w))
				for (i = 0; i < s->ntimes[g]; i++)
					mins[k++] = s->times[g][i];
		sched_times_sort(mins, &k);
		for (i = 0; i < k; i++) {
			t = tz_instant(z, day * DAY + mins[i] * 60, NULL);
			if (t > now && !is_taken(taken, n, t))
				return t;
		}
		/* Past every taken instant a week holds a free slot, and
		 * every week has slots; this only guards against a bug. */
		if (day * DAY > (last > now ? last : now) + 14 * DAY +
		    tz_offset(z, now, NULL, NULL))
			return 0;
	}
}

/* ------------------------------------------------------------------ */
/* Slots in the store, as "agency.slots" documents. */

static int
slots_doc(struct agency *ag, struct store *st, const cJSON *row,
    cJSON **out)
{
	const char *account = sched_str(row, "account");
	const struct tz *z;
	struct slots s;
	int64_t *taken = NULL, next;
	size_t n = 0, i;
	char buf[AG_TIMEBUF];
	cJSON *doc;
	int rc;

	if ((rc = tz_load(ag, sched_str(row, "tz"), &z)) != AG_OK ||
	    (rc = slots_parse(ag, sched_str(row, "spec"), &s)) != AG_OK)
		return rc;
	if ((rc = posts_taken(ag, st, account, ag_now_ms(), &taken, &n)) !=
	    AG_OK)
		return rc;
	for (i = 0; i < n; i++)
		taken[i] /= 1000;
	next = slots_next(&s, z, ag_now_ms() / 1000, taken, n);
	free(taken);
	doc = ag_doc_new("agency.slots");
	cJSON_AddStringToObject(doc, "account", account);
	cJSON_AddStringToObject(doc, "slots", sched_str(row, "spec"));
	cJSON_AddStringToObject(doc, "tz", tz_name(z));
	if (next > 0)
		cJSON_AddStringToObject(doc, "next", tz_format(z, next, buf));
	*out = doc;
	return AG_OK;
}

int
schedule_slots_set(struct agency *ag, const char *account, const char *spec,
    const char *tzname, cJSON **doc)
{
	const struct tz *z;
	struct store *st;
	struct slots s;
	cJSON *row = NULL;
	char *text;
	int rc;

	if ((rc = accounts_check_name(ag, account)) != AG_OK ||
	    (rc = slots_parse(ag, spec, &s)) != AG_OK)
		return rc;
	rc = tzname ? tz_load(ag, tzname, &z) : tz_default(ag, &z);
	if (rc != AG_OK || (rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	text = slots_format(&s);
	rc = account_slots_put(ag, st, account, text, tz_name(z));
	free(text);
	if (rc == AG_OK && (rc = account_slots_get(ag, st, account, &row)) ==
	    AG_OK)
		rc = slots_doc(ag, st, row, doc);
	cJSON_Delete(row);
	return rc;
}

int
schedule_slots_list(struct agency *ag, const char *account, cJSON **docs)
{
	struct store *st;
	cJSON *rows = NULL, *row, *arr, *doc;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	if (account != NULL) {
		if ((rc = accounts_check_name(ag, account)) != AG_OK ||
		    (rc = account_slots_get(ag, st, account, &row)) != AG_OK)
			return rc;
		rows = cJSON_CreateArray();
		cJSON_AddItemToArray(rows, row);
	} else if ((rc = account_slots_list(ag, st, &rows)) != AG_OK) {
		return rc;
	}
	arr = cJSON_CreateArray();
	cJSON_ArrayForEach(row, rows) {
		if ((rc = slots_doc(ag, st, row, &doc)) != AG_OK)
			break;
		cJSON_AddItemToArray(arr, doc);
	}
	cJSON_Delete(rows);
	if (rc != AG_OK) {
		cJSON_Delete(arr);
		return rc;
	}
	*docs = arr;
	return AG_OK;
}

int
schedule_slots_remove(struct agency *ag, const char *account)
{
	struct store *st;
	int rc;

	if ((rc = accounts_check_name(ag, account)) != AG_OK ||
	    (rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	return account_slots_remove(ag, st, account);
}

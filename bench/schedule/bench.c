/*
 * bench - what a tick costs with a large calendar.
 *
 *	bench fill DB N		a fresh store with N posts scheduled over the
 *				coming year (one transaction)
 *	bench due DB K		add K posts due a minute ago
 *	bench tick DB K R	R rounds: add K due posts (untimed), tick
 *				through lib/schedule (timed: wall and CPU),
 *				check that K were queued, mark them posted
 *				(untimed, as if their jobs had ended); then
 *				R ticks with nothing due.  Prints the median
 *				wall ms of both, and the CPU ms of the first
 *
 * Everything goes through lib/store and lib/schedule: the store is made
 * and migrated as any program makes it, the posts are added with
 * posts_add() in one transaction, and the posts a round queued are
 * marked posted with posts_job_ended(), as schedule_sync() marks them.
 */
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agency.h"

#define USAGE "bench fill DB N | due DB K | tick DB K R"

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "bench: %s: %s\n", what, why);
	exit(1);
}

/* The store at path, made and migrated through lib/store. */
static void
open_store(struct agency *ag, const char *path, struct store **st)
{
	char *argv[] = { "bench", NULL };

	setenv("AGENCY_DB", path, 1);
	ag_init(ag, 1, argv);
	if (ag_store(ag, st) != AG_OK)
		die(path, ag->err);
}

/* n posts from start, step ms apart, in one transaction. */
static void
add(struct agency *ag, struct store *st, int64_t n, int64_t start,
    int64_t step)
{
	struct post_new p;
	char local[20];
	int64_t i, id;

	if (store_begin(ag, st) != AG_OK)
		die("begin", ag->err);
	memset(&p, 0, sizeof(p));
	p.content_id = "c_bench";
	p.tz = "UTC";
	p.local = local;
	p.state = "scheduled";
	for (i = 0; i < n; i++) {
		p.at = start + i * step;
		p.account = i % 2 ? "youtube:main" : "tiktok:brand";
		cal_format(p.at / 1000, local);
		if (posts_add(ag, st, &p, &id) != AG_OK)
			die("posts_add", ag->err);
	}
	if (store_commit(ag, st) != AG_OK)
		die("commit", ag->err);
}

static void
fill(const char *path, int64_t n)
{
	struct agency ag;
	struct store *st;
	cJSON *doc = cJSON_Parse("{\"kind\":\"agency.production\","
	    "\"version\":1,\"id\":\"c_bench\",\"video\":\"/dev/null\"}");
	int64_t year = 365LL * 86400 * 1000;

	open_store(&ag, path, &st);
	if (content_put(&ag, st, "c_bench", doc) != AG_OK ||
	    accounts_put(&ag, st, "youtube:main", NULL) != AG_OK ||
	    accounts_put(&ag, st, "tiktok:brand", NULL) != AG_OK)
		die("setup", ag.err);
	cJSON_Delete(doc);
	/* Spread over the coming year, starting an hour from now. */
	add(&ag, st, n, ag_now_ms() + 3600 * 1000, year / (n > 0 ? n : 1));
	ag_release(&ag);
}

static void
due(const char *path, int64_t k)
{
	struct agency ag;
	struct store *st;

	open_store(&ag, path, &st);
	add(&ag, st, k, ag_now_ms() - 60000, 1);
	ag_release(&ag);
}

/* The posts a tick queued, posted, as if their jobs had ended. */
static void
posted(struct agency *ag, struct store *st)
{
	cJSON *rows = NULL, *row;
	int64_t id, job;

	if (posts_queued(ag, st, &rows) != AG_OK)
		die("posts_queued", ag->err);
	cJSON_ArrayForEach(row, rows) {
		id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(row,
		    "id"));
		job = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(row,
		    "job_id"));
		if (posts_job_ended(ag, st, id, job, "posted", NULL, "r", "u",
		    ag_now_ms()) != AG_OK)
			die("posts_job_ended", ag->err);
	}
	cJSON_Delete(rows);
}

static double
cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

static double
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One tick through the library; the number it queued. */
static int64_t
tick(struct agency *ag)
{
	struct schedule_tick t;
	cJSON *doc = NULL;
	int64_t n;

	memset(&t, 0, sizeof(t));
	t.grace = -1;
	if (schedule_tick(ag, &t, &doc) != AG_OK)
		die("tick", ag->err);
	n = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(doc, "queued"));
	cJSON_Delete(doc);
	return n;
}

static void
rounds(const char *path, int64_t k, int r)
{
	struct agency ag;
	struct store *st;
	double *busy = calloc((size_t)r, sizeof(double));
	double *idle = calloc((size_t)r, sizeof(double));
	double *cpu = calloc((size_t)r, sizeof(double));
	double w0, c0;
	int i;

	open_store(&ag, path, &st);
	/* One tick first: a new connection reads its schema, and that is a
	 * process's start, not a tick's. */
	tick(&ag);
	for (i = 0; i < r; i++) {
		add(&ag, st, k, ag_now_ms() - 60000, 1);
		w0 = wall_ms();
		c0 = cpu_ms();
		if (tick(&ag) != k)
			die("tick", "did not queue every due post");
		cpu[i] = cpu_ms() - c0;
		busy[i] = wall_ms() - w0;
		posted(&ag, st);
	}
	for (i = 0; i < r; i++) {
		w0 = wall_ms();
		if (tick(&ag) != 0)
			die("idle tick", "queued something");
		idle[i] = wall_ms() - w0;
	}
	printf("tick %.3f idle %.3f cpu %.3f\n", median(busy, r),
	    median(idle, r), median(cpu, r));
	ag_release(&ag);
	free(busy);
	free(idle);
	free(cpu);
}

int
main(int argc, char *argv[])
{
	long long n, r = 1;

	unsetenv("AGENCY_CONFIG");
	if (argc < 4 || ag_parse_ll(argv[3], 0, 100000000, &n) == -1)
		die("usage", USAGE);
	if (strcmp(argv[1], "fill") == 0)
		fill(argv[2], n);
	else if (strcmp(argv[1], "due") == 0)
		due(argv[2], n);
	else if (strcmp(argv[1], "tick") == 0 && argc == 5 &&
	    ag_parse_ll(argv[4], 1, 1000, &r) == 0)
		rounds(argv[2], n, (int)r);
	else
		die("usage", USAGE);
	return 0;
}

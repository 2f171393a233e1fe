/*
 * agency.c - the life of a binary's context: ag_init() and ag_finish().
 *
 * Modules that hold resources in the context (the store, the HTTP
 * client) register a release function with ag_on_release(); the core
 * does not know them, so dependencies still point down.
 */
#include <sys/resource.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

struct cleanup {
	void (*fn)(void *);
	void *arg;
};

static struct cleanup cleanups[16];
static size_t ncleanups;

void
ag_on_release(struct agency *ag, void (*fn)(void *), void *arg)
{
	(void)ag;
	if (ncleanups < sizeof(cleanups) / sizeof(cleanups[0])) {
		cleanups[ncleanups].fn = fn;
		cleanups[ncleanups++].arg = arg;
	}
}

static const char *
basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* -q, -v and --config are needed before the options are parsed. */
static const char *
prescan(int argc, char *argv[], int *quiet, int *verbose)
{
	const char *cfg = NULL, *a;
	int i;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strcmp(a, "--config") == 0 && i + 1 < argc)
			cfg = argv[++i];
		else if (strncmp(a, "--config=", 9) == 0)
			cfg = a + 9;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			*quiet = 1;
		else if (strcmp(a, "--verbose") == 0)
			++*verbose;
		else if (a[0] == '-' && a[1] == 'v' && strspn(a + 1, "v") ==
		    strlen(a + 1))
			*verbose += (int)strlen(a + 1);
	}
	return cfg;
}

static void
apply_level(struct agency *ag, int level, int quiet, int verbose)
{
	if (level < 0)
		level = AG_LOG_WARN;
	if (quiet)
		level = AG_LOG_ERROR;
	else if (verbose)
		level = AG_LOG_WARN + verbose;
	ag->loglevel = level > AG_LOG_TRACE ? AG_LOG_TRACE : level;
}

void
ag_init(struct agency *ag, int argc, char *argv[])
{
	static cJSON_Hooks hooks = { xmalloc, free };
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	const char *cfgfile, *env;
	int quiet = 0, verbose = 0, rc;

	memset(ag, 0, sizeof(*ag));
	ag->progname = basename_of(argc > 0 ? argv[0] : "agency");
	ag_progname = ag->progname;
	cJSON_InitHooks(&hooks);
	ag->color = isatty(STDERR_FILENO) && (nc == NULL || *nc == '\0') &&
	    (term == NULL || strcmp(term, "dumb") != 0);
	cfgfile = prescan(argc, argv, &quiet, &verbose);
	apply_level(ag, ag_loglevel_parse(getenv("AGENCY_LOG")), quiet,
	    verbose);
	if ((rc = config_load(ag, cfgfile, cfgfile != NULL)) != AG_OK) {
		ag_print_error(ag, ag->err);
		exit(rc);
	}
	apply_level(ag, ag_loglevel_parse(config_str(ag, "log.level")),
	    quiet, verbose);
	/* Set by the front for options given before the command. */
	if ((env = getenv("AGENCY_PROGRESS")) != NULL)
		ag->progress = strcmp(env, "json") == 0 ? AG_PROGRESS_JSON :
		    strcmp(env, "none") == 0 ? AG_PROGRESS_NONE :
		    AG_PROGRESS_AUTO;
	if ((env = getenv("AGENCY_JSON")) != NULL && strcmp(env, "1") == 0)
		ag->json = 1;
}

void
ag_release(struct agency *ag)
{
	while (ncleanups > 0) {
		ncleanups--;
		cleanups[ncleanups].fn(cleanups[ncleanups].arg);
	}
	config_free(ag->cfg);
	ag->cfg = NULL;
	ag_secret_clear();
}

/* Seconds of CPU, user and system, in r. */
static double
cpu_seconds(const struct rusage *r)
{
	return (double)(r->ru_utime.tv_sec + r->ru_stime.tv_sec) +
	    (double)(r->ru_utime.tv_usec + r->ru_stime.tv_usec) / 1e6;
}

/* What the run cost, the process apart from its children (-vv). */
static void
log_cost(struct agency *ag)
{
	struct rusage self, kids;

	if (ag->loglevel < AG_LOG_DEBUG || getrusage(RUSAGE_SELF, &self) != 0 ||
	    getrusage(RUSAGE_CHILDREN, &kids) != 0)
		return;
	ag_debug(ag, "used %.3f s of CPU and %ld KB at most; its children "
	    "%.3f s and %ld KB", cpu_seconds(&self), self.ru_maxrss,
	    cpu_seconds(&kids), kids.ru_maxrss);
}

int
ag_finish(struct agency *ag, int rc)
{
	log_cost(ag);
	if (rc != AG_OK && rc != AG_FALSE && ag->err[0] != '\0')
		ag_print_error(ag, ag->err);
	if ((fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) &&
	    rc == AG_OK) {
		ag_fail(ag, AG_IOERR, "cannot write to stdout:");
		ag_print_error(ag, ag->err);
		rc = AG_IOERR;
	}
	ag_release(ag);
	return rc;
}

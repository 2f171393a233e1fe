/*
 * opt.c - option tables to getopt_long, --help and --dump-options.
 *
 * getopt_long is given one long option per table entry (plus "no-NAME"
 * for booleans) whose val is the entry's index offset by LONGBASE, so a
 * long and a short spelling land in the same place.  The shared options
 * live in their own table, searched after the binary's.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agency.h"

#define LONGBASE 256
#define NEGBASE 4096

static int quiet, verbose, dump;
static char cmdpath[128];		/* "agency-queue submit" */
static const struct ag_option *cur_opts;
static const struct ag_command *cur_cmds;
static const char *cur_usage;

static int shared_cb(struct agency *, const struct ag_option *, const char *);

static const struct ag_option shared[] = {
	AG_OPT_CALLBACK('h', "help", NULL, shared_cb,
	    "show this help and exit"),
	AG_OPT_CALLBACK(0, "version", NULL, shared_cb,
	    "show the version and exit"),
	AG_OPT_CALLBACK('q', "quiet", NULL, shared_cb,
	    "print errors only"),
	AG_OPT_CALLBACK('v', "verbose", NULL, shared_cb,
	    "say more (repeat for debug and trace)"),
	AG_OPT_CALLBACK(0, "json", NULL, shared_cb,
	    "print JSON even on a terminal"),
	AG_OPT_CALLBACK(0, "config", "file", shared_cb,
	    "read the configuration from file"),
	AG_OPT_CALLBACK(0, "progress", "auto|json|none", shared_cb,
	    "progress on stderr: a bar on a terminal, NDJSON, or none"),
	AG_OPT_CALLBACK(0, "dump-options", NULL, shared_cb, NULL),
	AG_OPT_END
};

void
ag_strv_push(struct ag_strv *sv, const char *s)
{
	sv->v = xreallocarray(sv->v, sv->n + 1, sizeof(*sv->v));
	sv->v[sv->n++] = s;
}

void
ag_strv_release(struct ag_strv *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

static const char *
progpath(struct agency *ag)
{
	return cmdpath[0] ? cmdpath : ag->progname;
}

static size_t
optwidth(const struct ag_option *o)
{
	size_t w = 6;			/* "  -x, " */

	if (o->longname != NULL)
		w += 2 + strlen(o->longname);
	if (o->argname != NULL)
		w += 1 + strlen(o->argname);
	return w;
}

static void
print_opt(FILE *fp, const struct ag_option *o, int width)
{
	char left[128];
	int n;

	if (o->shortname && o->longname)
		n = snprintf(left, sizeof(left), "  -%c, --%s", o->shortname,
		    o->longname);
	else if (o->shortname)
		n = snprintf(left, sizeof(left), "  -%c", o->shortname);
	else
		n = snprintf(left, sizeof(left), "      --%s", o->longname);
	if (o->argname != NULL && n > 0 && (size_t)n < sizeof(left))
		snprintf(left + n, sizeof(left) - (size_t)n,
		    o->longname ? "=%s" : " %s", o->argname);
	fprintf(fp, "%-*s  %s\n", width, left, o->help);
}

static void
print_help(struct agency *ag, FILE *fp, int full)
{
	const struct ag_option *o;
	size_t w = 0, i;

	fprintf(fp, "usage: %s %s\n", progpath(ag), cur_usage);
	if (!full)
		return;
	for (o = cur_opts; o->type != AG_OPT_T_END; o++)
		if (optwidth(o) > w)
			w = optwidth(o);
	for (o = shared; o->type != AG_OPT_T_END; o++)
		if (o->help && optwidth(o) > w)
			w = optwidth(o);
	if (w > 32)
		w = 32;
	if (cur_cmds != NULL) {
		fputs("\ncommands:\n", fp);
		for (i = 0; cur_cmds[i].name != NULL; i++)
			fprintf(fp, "  %-14s  %s\n", cur_cmds[i].name,
			    cur_cmds[i].summary);
	}
	if (cur_opts->type != AG_OPT_T_END) {
		fputs("\noptions:\n", fp);
		for (o = cur_opts; o->type != AG_OPT_T_END; o++)
			print_opt(fp, o, (int)w);
	}
	fputs("\ncommon options:\n", fp);
	for (o = shared; o->type != AG_OPT_T_END; o++)
		if (o->help != NULL)
			print_opt(fp, o, (int)w);
	if (cur_cmds != NULL)
		fprintf(fp, "\n'%s COMMAND --help' describes a command.\n",
		    progpath(ag));
}

void
ag_usage(struct agency *ag, const struct ag_option *opts, const char *usage)
{
	cur_opts = opts;
	cur_usage = usage;
	print_help(ag, stderr, 0);
	fprintf(stderr, "Try '%s --help' for more information.\n",
	    progpath(ag));
	exit(AG_USAGE);
}

void
ag_usage_error(struct agency *ag, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", progpath(ag), msg);
	ag_usage(ag, cur_opts, cur_usage);
}

static void
dump_options(const struct ag_option *opts)
{
	const struct ag_option *o;
	size_t i;

	for (o = opts; o->type != AG_OPT_T_END; o++) {
		if (o->help == NULL)
			continue;
		printf("opt\t%c\t%s\t%s\t%s\n", o->shortname ? o->shortname :
		    '-', o->longname ? o->longname : "-",
		    o->argname ? o->argname : "-", o->help);
		if (o->type == AG_OPT_T_BOOL && o->longname != NULL)
			printf("opt\t-\tno-%s\t-\tturn off --%s\n",
			    o->longname, o->longname);
	}
	for (i = 0; cur_cmds != NULL && cur_cmds[i].name != NULL; i++)
		printf("cmd\t%s\t%s\n", cur_cmds[i].name, cur_cmds[i].summary);
}

static int
shared_cb(struct agency *ag, const struct ag_option *o, const char *arg)
{
	const char *n = o->longname;

	if (strcmp(n, "help") == 0) {
		print_help(ag, stdout, 1);
		exit(fflush(stdout) == 0 ? AG_OK : AG_IOERR);
	} else if (strcmp(n, "version") == 0) {
		printf("%s (AgencyOS) %s\n", ag->progname, AG_VERSION_STRING);
		exit(fflush(stdout) == 0 ? AG_OK : AG_IOERR);
	} else if (strcmp(n, "quiet") == 0) {
		quiet = 1;
	} else if (strcmp(n, "verbose") == 0) {
		verbose++;
	} else if (strcmp(n, "json") == 0) {
		ag->json = 1;
	} else if (strcmp(n, "progress") == 0) {
		if (strcmp(arg, "auto") == 0)
			ag->progress = AG_PROGRESS_AUTO;
		else if (strcmp(arg, "json") == 0)
			ag->progress = AG_PROGRESS_JSON;
		else if (strcmp(arg, "none") == 0)
			ag->progress = AG_PROGRESS_NONE;
		else
			ag_usage_error(ag, "option '--progress': '%s' is not "
			    "one of auto, json, none", arg);
	} else if (strcmp(n, "dump-options") == 0) {
		dump = 1;
	} else if (strcmp(n, "config") == 0 &&
	    strcmp(arg, config_path(ag)) != 0) {
		/* ag_init() saw only the exact spelling "--config". */
		if (config_load(ag, arg, 1) != AG_OK) {
			ag_print_error(ag, ag->err);
			exit(AG_CONFIG);
		}
	}
	return 0;
}

static void
apply(struct agency *ag, const struct ag_option *o, const char *arg, int neg)
{
	char name[64];
	double d;
	long long ll;

	if (o->longname)
		snprintf(name, sizeof(name), "--%s", o->longname);
	else
		snprintf(name, sizeof(name), "-%c", o->shortname);
	switch (o->type) {
	case AG_OPT_T_BOOL:
		*(int *)o->value = !neg;
		break;
	case AG_OPT_T_STRING:
		*(const char **)o->value = arg;
		break;
	case AG_OPT_T_INT:
		if (ag_parse_ll(arg, o->min, o->max, &ll) == -1)
			ag_usage_error(ag, "option '%s': '%s' is not a whole "
			    "number from %lld to %lld", name, arg, o->min,
			    o->max);
		*(long long *)o->value = ll;
		break;
	case AG_OPT_T_DOUBLE:
		if (ag_parse_double(arg, &d) == -1)
			ag_usage_error(ag, "option '%s': '%s' is not a number",
			    name, arg);
		*(double *)o->value = d;
		break;
	case AG_OPT_T_CHOICE:
		if (!ag_in_list(o->choices, arg))
			ag_usage_error(ag, "option '%s': '%s' is not one of %s",
			    name, arg, o->choices);
		*(const char **)o->value = arg;
		break;
	case AG_OPT_T_LIST:
		ag_strv_push(o->value, arg);
		break;
	case AG_OPT_T_KEY:
		if (config_override(ag, o->choices, arg) != AG_OK)
			ag_usage_error(ag, "option '%s': %s", name, ag->err);
		break;
	case AG_OPT_T_CALLBACK:
		if (o->cb(ag, o, arg) != AG_OK)
			ag_usage_error(ag, "option '%s': %s", name, ag->err);
		break;
	case AG_OPT_T_END:
		break;
	}
}

static size_t
count(const struct ag_option *opts)
{
	size_t n = 0;

	while (opts[n].type != AG_OPT_T_END)
		n++;
	return n;
}

/* The option for getopt's val; *neg is set for "--no-NAME". */
static const struct ag_option *
lookup(const struct ag_option *opts, int val, int *neg)
{
	size_t n = count(opts), i;

	*neg = 0;
	if (val >= NEGBASE) {
		*neg = 1;
		val -= NEGBASE - LONGBASE;
	}
	if (val >= LONGBASE) {
		i = (size_t)(val - LONGBASE);
		return i < n ? &opts[i] : &shared[i - n];
	}
	for (i = 0; i < n; i++)
		if (opts[i].shortname == val)
			return &opts[i];
	for (i = 0; shared[i].type != AG_OPT_T_END; i++)
		if (shared[i].shortname == val)
			return &shared[i];
	return NULL;
}

static void
build(const struct ag_option *opts, int flags, struct option **lop,
    char **sop)
{
	size_t n = count(opts), ns = count(shared), i, k = 0;
	const struct ag_option *o;
	struct option *lo = xcalloc(2 * (n + ns) + 1, sizeof(*lo));
	char *so = xcalloc(3 * (n + ns) + 3, 1), *sp = so;

	if (flags & AG_PARSE_STOP)
		*sp++ = '+';
	*sp++ = ':';
	for (i = 0; i < n + ns; i++) {
		o = i < n ? &opts[i] : &shared[i - n];
		if (o->shortname) {
			*sp++ = (char)o->shortname;
			if (o->argname)
				*sp++ = ':';
		}
		if (o->longname == NULL)
			continue;
		lo[k].name = o->longname;
		lo[k].has_arg = o->argname ? required_argument : no_argument;
		lo[k++].val = LONGBASE + (int)i;
		if (o->type == AG_OPT_T_BOOL) {
			lo[k].name = xasprintf("no-%s", o->longname);
			lo[k].has_arg = no_argument;
			lo[k++].val = NEGBASE + (int)i;
		}
	}
	*lop = lo;
	*sop = so;
}

static void
release(struct option *lo)
{
	size_t i;

	for (i = 0; lo[i].name != NULL; i++)
		if (lo[i].val >= NEGBASE)
			free((char *)lo[i].name);
	free(lo);
}

int
ag_parse_options_flags(struct agency *ag, int argc, char **argv,
    const struct ag_option *opts, const char *usage, int flags)
{
	const struct ag_option *o;
	struct option *lo;
	char *so, bad[64];
	int c, neg, idx, n;

	cur_opts = opts;
	cur_usage = usage;
	build(opts, flags, &lo, &so);
	opterr = 0;
	optind = 0;			/* glibc: start afresh */
	while ((c = getopt_long(argc, argv, so, lo, &idx)) != -1) {
		if (c == '?' || c == ':') {
			if (optopt && optopt < LONGBASE)
				snprintf(bad, sizeof(bad), "-%c", optopt);
			else
				snprintf(bad, sizeof(bad), "%s",
				    argv[optind - 1]);
			release(lo);
			free(so);
			ag_usage_error(ag, c == '?' ? "unknown option '%s'" :
			    "option '%s' needs a value", bad);
		}
		if ((o = lookup(opts, c, &neg)) != NULL)
			apply(ag, o, optarg, neg);
	}
	release(lo);
	free(so);
	if (dump) {
		dump_options(opts);
		exit(fflush(stdout) == 0 ? AG_OK : AG_IOERR);
	}
	if (quiet)
		ag->loglevel = AG_LOG_ERROR;
	else if (verbose)
		ag->loglevel = (verbose + AG_LOG_WARN > AG_LOG_TRACE) ?
		    AG_LOG_TRACE : AG_LOG_WARN + verbose;
	/* Operands move to the front so the caller sees argv[0..n-1]. */
	n = argc - optind;
	memmove(argv, argv + optind, (size_t)n * sizeof(*argv));
	argv[n] = NULL;
	return n;
}

int
ag_parse_options(struct agency *ag, int argc, char **argv,
    const struct ag_option *opts, const char *usage)
{
	return ag_parse_options_flags(ag, argc, argv, opts, usage, 0);
}

int
ag_run_command(struct agency *ag, int argc, char **argv,
    const struct ag_option *opts, const char *usage,
    const struct ag_command *cmds)
{
	size_t i;

	cur_cmds = cmds;
	argc = ag_parse_options_flags(ag, argc, argv, opts, usage,
	    AG_PARSE_STOP);
	if (argc == 0)
		ag_usage_error(ag, "which command?");
	for (i = 0; cmds[i].name != NULL; i++)
		if (strcmp(cmds[i].name, argv[0]) == 0)
			break;
	if (cmds[i].name == NULL)
		ag_usage_error(ag, "'%s' is not a command", argv[0]);
	{
		char prefix[sizeof(cmdpath)];

		snprintf(prefix, sizeof(prefix), "%s", progpath(ag));
		snprintf(cmdpath, sizeof(cmdpath), "%s %s", prefix,
		    cmds[i].name);
	}
	cur_cmds = NULL;
	return cmds[i].fn(ag, argc, argv);
}

int
ag_run_main(struct agency *ag, int argc, char **argv,
    const struct ag_command *cmds,
    int (*main_fn)(struct agency *ag, int argc, char **argv))
{
	size_t i;
	int rc;

	for (i = 0; argc > 1 && cmds[i].name != NULL; i++) {
		if (strcmp(cmds[i].name, argv[1]) != 0)
			continue;
		snprintf(cmdpath, sizeof(cmdpath), "%s %s", ag->progname,
		    cmds[i].name);
		return cmds[i].fn(ag, argc - 1, argv + 1);
	}
	cur_cmds = cmds;
	rc = main_fn(ag, argc, argv);
	cur_cmds = NULL;
	return rc;
}

double
ag_opt_duration(struct agency *ag, const char *opt, const char *s)
{
	double d;

	if (ag_duration_parse(s, &d) == -1)
		ag_usage_error(ag, "option '%s': '%s' is not a duration (90s, "
		    "15m, 2h, 7d)", opt, s);
	return d;
}

/*
 * opt.h - command-line options declared once, as data.
 *
 * A binary lists its options in a table ending with AG_OPT_END.
 * ag_parse_options() builds getopt_long's tables from it, stores each
 * value where the table says, and prints --help from the same table;
 * --dump-options prints it as TSV for the man-page check and the
 * completion generator (completions/gen).  Every table silently gains
 * the shared options: -h/--help, --version, -q/--quiet, -v/--verbose,
 * --json, --config FILE, --progress WHEN and the hidden --dump-options.
 *
 * Values: BOOL sets an int to 1 (and --no-NAME sets it to 0), STRING
 * stores a pointer into argv (borrowed), INT a long long checked
 * against [min, max], DOUBLE a finite double, CHOICE a string that must
 * be one of a comma-separated list, LIST appends to a struct ag_strv,
 * KEY sets a config key (flag > env > file, see config.h), CALLBACK
 * calls a function.  A bad value, an unknown option or a missing
 * argument prints "agency-X: ..." and the usage line on stderr and
 * exits 64.  --help prints to stdout and exits 0.
 */
#ifndef AG_OPT_H
#define AG_OPT_H

#include <stddef.h>

struct agency;
struct ag_option;

enum ag_opt_type {
	AG_OPT_T_END,
	AG_OPT_T_BOOL,
	AG_OPT_T_STRING,
	AG_OPT_T_INT,
	AG_OPT_T_DOUBLE,
	AG_OPT_T_CHOICE,
	AG_OPT_T_LIST,
	AG_OPT_T_KEY,
	AG_OPT_T_CALLBACK
};

/* A list of borrowed strings (LIST options); free v with ag_strv_release. */
struct ag_strv {
	const char **v;
	size_t n;
};

typedef int ag_opt_cb(struct agency *ag, const struct ag_option *o,
    const char *arg);

struct ag_option {
	enum ag_opt_type type;
	int shortname;			/* 0: long form only */
	const char *longname;
	const char *argname;		/* NULL: takes no argument */
	void *value;
	const char *help;
	long long min, max;		/* INT range */
	const char *choices;		/* CHOICE: "a,b,c"; KEY: config key */
	ag_opt_cb *cb;
};

#define AG_OPT_BOOL(s, l, var, h) \
	{ AG_OPT_T_BOOL, (s), (l), NULL, (var), (h), 0, 0, NULL, NULL }
#define AG_OPT_STRING(s, l, arg, var, h) \
	{ AG_OPT_T_STRING, (s), (l), (arg), (var), (h), 0, 0, NULL, NULL }
#define AG_OPT_INT(s, l, arg, var, lo, hi, h) \
	{ AG_OPT_T_INT, (s), (l), (arg), (var), (h), (lo), (hi), NULL, NULL }
#define AG_OPT_DOUBLE(s, l, arg, var, h) \
	{ AG_OPT_T_DOUBLE, (s), (l), (arg), (var), (h), 0, 0, NULL, NULL }
#define AG_OPT_CHOICE(s, l, arg, var, list, h) \
	{ AG_OPT_T_CHOICE, (s), (l), (arg), (var), (h), 0, 0, (list), NULL }
#define AG_OPT_LIST(s, l, arg, var, h) \
	{ AG_OPT_T_LIST, (s), (l), (arg), (var), (h), 0, 0, NULL, NULL }
#define AG_OPT_KEY(s, l, arg, key, h) \
	{ AG_OPT_T_KEY, (s), (l), (arg), NULL, (h), 0, 0, (key), NULL }
#define AG_OPT_CALLBACK(s, l, arg, fn, h) \
	{ AG_OPT_T_CALLBACK, (s), (l), (arg), NULL, (h), 0, 0, NULL, (fn) }
#define AG_OPT_END \
	{ AG_OPT_T_END, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, NULL }

/* A subcommand: "agency-queue submit" runs fn with argv[0] "submit". */
struct ag_command {
	const char *name;
	int (*fn)(struct agency *ag, int argc, char **argv);
	const char *summary;
};

/*
 * ag_parse_options() - parse argv against opts.  usage is the synopsis
 * after the program name.  On return the operands are in argv[0..n-1]
 * and n is returned.  Options stop at "--" and, because a command line
 * may be passed on, at the first operand when AG_PARSE_STOP is given.
 */
int ag_parse_options(struct agency *ag, int argc, char **argv,
    const struct ag_option *opts, const char *usage);
int ag_parse_options_flags(struct agency *ag, int argc, char **argv,
    const struct ag_option *opts, const char *usage, int flags);
#define AG_PARSE_STOP 1

/*
 * ag_run_command() - for binaries with subcommands: parse the shared
 * options up to the first operand, look it up in cmds and run it; the
 * command then parses its own options with ag_parse_options().  No
 * operand, or an unknown one, is a usage error.
 */
int ag_run_command(struct agency *ag, int argc, char **argv,
    const struct ag_option *opts, const char *usage,
    const struct ag_command *cmds);

/*
 * ag_run_main() - for binaries that do one thing with options and also
 * have a few commands ("agency-compose -o bed.wav" and "agency-compose
 * moods"): when the first argument names one of cmds, run that command
 * as ag_run_command() does; otherwise call main_fn with all of argv,
 * which parses its own options with ag_parse_options(), and whose
 * --help and --dump-options then list cmds too.
 */
int ag_run_main(struct agency *ag, int argc, char **argv,
    const struct ag_command *cmds,
    int (*main_fn)(struct agency *ag, int argc, char **argv));

/* Print the usage line and options on stderr and exit 64. */
void ag_usage(struct agency *ag, const struct ag_option *opts,
    const char *usage) __attribute__((noreturn));
/* Report a usage error ("agency-X: msg"), the usage line, exit 64. */
void ag_usage_error(struct agency *ag, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

/* The seconds of a duration given to option opt ("90s", "15m", "2h");
 * anything else is a usage error naming the option (exit 64). */
double ag_opt_duration(struct agency *ag, const char *opt, const char *s);

void ag_strv_push(struct ag_strv *sv, const char *s);
void ag_strv_release(struct ag_strv *sv);

#endif

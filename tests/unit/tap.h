/*
 * tap.h - a tiny TAP producer for the C unit tests (git's
 * t/unit-tests/test-lib.h in spirit).  Each t-*.c file is one program:
 *
 *	int main(void) {
 *		ok(1 + 1 == 2, "addition");
 *		is_int(buf.len, 3, "length");
 *		is_str(s, "abc", "contents");
 *		return done_testing();
 *	}
 *
 * Failures print what was expected and what came instead, as TAP
 * comments, so tests/run can show them.  Helpers for temporary folders
 * and a minimal struct agency are here too.
 */
#ifndef TAP_H
#define TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

static int tap_n, tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static inline int
tap_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond) {
		tap_failed++;
		printf("#   failed at %s:%d\n", file, line);
	}
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define is_int(got, want, ...) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (!tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__))		\
		printf("#   got %lld, expected %lld\n", g_, w_);	\
} while (0)

#define is_str(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int same_ = (g_ == NULL && w_ == NULL) ||			\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);		\
	if (!tap_ok(same_, __FILE__, __LINE__, __VA_ARGS__))		\
		printf("#   got      '%s'\n#   expected '%s'\n",	\
		    g_ ? g_ : "(null)", w_ ? w_ : "(null)");		\
} while (0)

static inline int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

/*
 * A temporary folder for the test, removed at exit; HOME and the XDG
 * folders point into it so nothing touches the real ones.
 */
static char tap_dir[256];

static inline void
tap_cleanup(void)
{
	char cmd[300];

	if (tap_dir[0] != '\0' && getenv("TAP_KEEP") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tap_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tap_dir);
	}
}

static inline const char *
tap_tmpdir(void)
{
	char p[300];
	const char *base = getenv("TMPDIR");

	snprintf(tap_dir, sizeof(tap_dir), "%s/agency-unit.XXXXXX",
	    base ? base : "/tmp");
	if (mkdtemp(tap_dir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	atexit(tap_cleanup);
	setenv("HOME", tap_dir, 1);
	snprintf(p, sizeof(p), "%s/config", tap_dir);
	setenv("XDG_CONFIG_HOME", p, 1);
	snprintf(p, sizeof(p), "%s/data", tap_dir);
	setenv("XDG_DATA_HOME", p, 1);
	unsetenv("AGENCY_CONFIG");
	unsetenv("AGENCY_DB");
	unsetenv("AGENCY_LOG");
	return tap_dir;
}

/*
 * Make a media fixture NAME in folder dir with the ffmpeg program (a test
 * tool, not our code) and its input and encoding args; 0 on success.
 */
static inline int
tap_ffmpeg(const char *dir, const char *name, const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cd '%s' && ffmpeg -nostdin -v error -y "
	    "%s %s", dir, args, name);
	return system(cmd);
}

/* A context as a binary would have it, with no arguments. */
static inline void
tap_agency(struct agency *ag, const char *name)
{
	char *argv[] = { (char *)name, NULL };

	ag_init(ag, 1, argv);
}

#endif

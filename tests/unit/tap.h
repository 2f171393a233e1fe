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

/*
 * tap_server() - start tests/servers/SCRIPT with python3 on 127.0.0.1:
 * "--port-file FILE" and then args (NULL-ended) are passed, and the
 * port it writes is returned (-1 if it did not start).  The servers are
 * stopped at exit.  Call tap_tmpdir() first.
 */
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

static pid_t tap_servers[8];
static int tap_nservers;

static inline void
tap_stop_servers(void)
{
	while (tap_nservers > 0) {
		pid_t p = tap_servers[--tap_nservers];

		kill(p, SIGTERM);
		waitpid(p, NULL, 0);
	}
}

static inline int
tap_server(const char *script, const char *const *args)
{
	extern char **environ;
	const char *root = getenv("AGENCY_ROOT");
	char path[512], pf[512];
	const char *argv[32];
	FILE *fp;
	pid_t pid;
	int i, n = 0, port = -1;

	snprintf(path, sizeof(path), "%s/tests/servers/%s", root ? root :
	    ".", script);
	snprintf(pf, sizeof(pf), "%s/port.%d", tap_dir, tap_nservers);
	argv[n++] = "python3";
	argv[n++] = path;
	argv[n++] = "--port-file";
	argv[n++] = pf;
	for (i = 0; args != NULL && args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (tap_nservers >= 8 || posix_spawnp(&pid, "python3", NULL, NULL,
	    (char *const *)argv, environ) != 0)
		return -1;
	if (tap_nservers == 0)
		atexit(tap_stop_servers);
	tap_servers[tap_nservers++] = pid;
	/* The server renames the file into place: whole or absent. */
	for (i = 0; i < 1500 && port < 0; i++) {
		if ((fp = fopen(pf, "r")) != NULL) {
			if (fscanf(fp, "%d", &port) != 1)
				port = -1;
			fclose(fp);
		}
		if (port < 0 && waitpid(pid, NULL, WNOHANG) == pid) {
			tap_nservers--;
			return -1;
		}
		if (port < 0)
			usleep(10000);
	}
	return port;
}

/* A context as a binary would have it, with no arguments. */
static inline void
tap_agency(struct agency *ag, const char *name)
{
	char *argv[] = { (char *)name, NULL };

	ag_init(ag, 1, argv);
}

#endif

/* t-opt - option tables: values, --no-x, strict numbers, operands. */
#include <sys/wait.h>

#include "tap.h"

static struct {
	int force;
	const char *out;
	long long n;
	double secs;
	const char *mood;
	struct ag_strv tags;
} a;

static const struct ag_option opts[] = {
	AG_OPT_BOOL('f', "force", &a.force, "overwrite"),
	AG_OPT_STRING('o', "output", "file", &a.out, "write to file"),
	AG_OPT_INT('n', "count", "n", &a.n, 1, 10, "how many"),
	AG_OPT_DOUBLE(0, "duration", "seconds", &a.secs, "length"),
	AG_OPT_CHOICE('m', "mood", "name", &a.mood, "calm,upbeat", "mood"),
	AG_OPT_LIST('t', "tag", "word", &a.tags, "a tag (repeatable)"),
	AG_OPT_KEY(0, "timeout", "seconds", "http.timeout", "HTTP timeout"),
	AG_OPT_END
};

/* Parse in a child; its exit status, and its stderr in errbuf. */
static int
child_parse(char **argv, char *errbuf, size_t len)
{
	struct agency ag;
	int fds[2], status, argc = 0;
	pid_t pid;
	ssize_t n;
	size_t off;

	while (argv[argc] != NULL)
		argc++;
	if (pipe(fds) == -1)
		return -1;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		dup2(fds[1], 2);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(99);
		tap_agency(&ag, "agency-test");
		ag_parse_options(&ag, argc, argv, opts, "[-f] -o file");
		_exit(0);
	}
	close(fds[1]);
	off = 0;
	while (off < len - 1 && (n = read(fds[0], errbuf + off,
	    len - 1 - off)) > 0)
		off += (size_t)n;
	errbuf[off] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
main(void)
{
	struct agency ag;
	char *argv1[] = { "agency-test", "-f", "--output=x.json", "in1",
	    "-n", "3", "--duration", "58.3", "-mupbeat", "-t", "a", "--tag=b",
	    "--timeout", "7", "in2", NULL };
	char *argv2[] = { "agency-test", "--no-force", "--", "-o", NULL };
	char *bad_n[] = { "agency-test", "-n", "11", NULL };
	char *bad_d[] = { "agency-test", "--duration", "1.5x", NULL };
	char *bad_m[] = { "agency-test", "--mood", "sad", NULL };
	char *unknown[] = { "agency-test", "--bogus", NULL };
	char *missing[] = { "agency-test", "-o", NULL };
	char *badkey[] = { "agency-test", "--timeout", "soon", NULL };
	char *help[] = { "agency-test", "--help", NULL };
	char err[4096];
	int n;

	tap_tmpdir();
	tap_agency(&ag, "agency-test");
	n = ag_parse_options(&ag, 15, argv1, opts, "[-f] -o file");
	is_int(n, 2, "two operands");
	is_str(argv1[0], "in1", "moved to the front, in order");
	is_str(argv1[1], "in2", "both of them");
	ok(argv1[2] == NULL, "and NULL-terminated");
	ok(a.force == 1, "a boolean");
	is_str(a.out, "x.json", "--name=value");
	is_int(a.n, 3, "a number in range");
	ok(a.secs == 58.3, "a decimal");
	is_str(a.mood, "upbeat", "a choice, attached to its short form");
	ok(a.tags.n == 2 && strcmp(a.tags.v[1], "b") == 0, "a list");
	is_str(config_str(&ag, "http.timeout"), "7", "a config key as a flag");
	n = ag_parse_options(&ag, 4, argv2, opts, "[-f] -o file");
	ok(a.force == 0, "--no-force turns it off");
	ok(n == 1 && strcmp(argv2[0], "-o") == 0, "-- ends the options");
	ag_strv_release(&a.tags);
	ag_release(&ag);

	is_int(child_parse(bad_n, err, sizeof(err)), 64, "out of range: 64");
	ok(strstr(err, "agency-test: option '--count': '11' is not a whole "
	    "number from 1 to 10\nusage: agency-test [-f] -o file\n") != NULL,
	    "says which option and why, then the usage: %s", err);
	is_int(child_parse(bad_d, err, sizeof(err)), 64, "1.5x: 64");
	ok(strstr(err, "'1.5x' is not a number") != NULL, "strict decimals");
	is_int(child_parse(bad_m, err, sizeof(err)), 64, "bad choice: 64");
	ok(strstr(err, "'sad' is not one of calm,upbeat") != NULL,
	    "lists the choices");
	is_int(child_parse(unknown, err, sizeof(err)), 64, "unknown: 64");
	ok(strstr(err, "unknown option '--bogus'") != NULL, "names it");
	is_int(child_parse(missing, err, sizeof(err)), 64, "missing value");
	ok(strstr(err, "option '-o' needs a value") != NULL, "names it");
	is_int(child_parse(badkey, err, sizeof(err)), 64, "bad config flag");
	ok(strstr(err, "'soon' is not a number") != NULL, "says why");
	is_int(child_parse(help, err, sizeof(err)), 0, "--help exits 0");
	is_str(err, "", "--help writes nothing on stderr");
	return done_testing();
}

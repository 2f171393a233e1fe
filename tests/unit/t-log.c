/* t-log - levels, redaction and the error line, as they reach stderr. */
#include <errno.h>
#include <fcntl.h>

#include "tap.h"

static char errpath[512];
static int saved = -1;

/* Send stderr to a file until captured() reads it back. */
static void
capture(void)
{
	int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	close(fd);
}

static char *
captured(struct agency *ag)
{
	struct buf b = BUF_INIT;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ag_read_file(ag, errpath, 0, &b);
	return buf_detach(&b);
}

int
main(void)
{
	struct agency ag;
	char *s;

	snprintf(errpath, sizeof(errpath), "%s/stderr", tap_tmpdir());
	tap_agency(&ag, "agency-x");
	ok(ag.color == 0, "no colour when stderr is not a terminal");
	is_int(ag.loglevel, AG_LOG_WARN, "warnings by default");
	capture();
	ag_warn(&ag, "provider %s skipped", "gemini");
	ag_info(&ag, "not shown");
	ag.loglevel = AG_LOG_DEBUG;
	ag_info(&ag, "shown at -vv");
	ag_debug(&ag, "GET https://x/?key=AIza-secret-1");
	ag_trace(&ag, "not shown at -vv");
	ag.loglevel = AG_LOG_ERROR;
	ag_warn(&ag, "not shown with -q");
	ag_fail(&ag, AG_DATAERR, "cannot read 'x.json': %s", "bad");
	ag_print_error(&ag, ag.err);
	s = captured(&ag);
	is_str(s, "agency-x: warning: provider gemini skipped\n"
	    "agency-x: info: shown at -vv\n"
	    "agency-x: debug: GET https://x/?key=***\n"
	    "agency-x: cannot read 'x.json': bad\n",
	    "levels filter, secrets are redacted, errors have no level word");
	free(s);
	ag_release(&ag);

	setenv("AGENCY_LOG", "debug", 1);
	tap_agency(&ag, "agency-x");
	is_int(ag.loglevel, AG_LOG_DEBUG, "AGENCY_LOG sets the level");
	ag_release(&ag);
	setenv("AGENCY_LOG", "2", 1);
	tap_agency(&ag, "agency-x");
	is_int(ag.loglevel, AG_LOG_INFO, "as a number too");
	ag_release(&ag);
	{
		char *argv[] = { "agency-x", "-vv", NULL };

		ag_init(&ag, 2, argv);
		is_int(ag.loglevel, AG_LOG_DEBUG, "-vv means debug, whatever "
		    "AGENCY_LOG says");
		ag_release(&ag);
	}
	{
		char *argv[] = { "agency-x", "-q", NULL };

		ag_init(&ag, 2, argv);
		is_int(ag.loglevel, AG_LOG_ERROR, "-q wins over AGENCY_LOG");
		ag_release(&ag);
	}
	unsetenv("AGENCY_LOG");

	errno = ENOENT;
	is_int(ag_fail(&ag, AG_NOINPUT, "cannot read '%s':", "a.json"),
	    AG_NOINPUT, "ag_fail returns the code");
	is_str(ag.err, "cannot read 'a.json': No such file or directory",
	    "a trailing ':' appends strerror(errno)");
	ag_prefix(&ag, "script");
	is_str(ag.err, "script: cannot read 'a.json': No such file or "
	    "directory", "ag_prefix adds context");
	is_str(ag_status_name(AG_TEMPFAIL), "EX_TEMPFAIL", "status names");

	/* Progress as NDJSON on stderr. */
	tap_agency(&ag, "agency-x");
	ag.progress = AG_PROGRESS_JSON;
	capture();
	{
		struct ag_progress p;

		ag_progress_start(&ag, &p, "render", 100, 0);
		ag_progress_update(&p, 50);
		ag_progress_end(&p);
	}
	s = captured(&ag);
	ok(strstr(s, "{\"kind\":\"agency.progress\",\"version\":1,\"label\":"
	    "\"render\",\"done\":50,\"total\":100,\"percent\":50") != NULL,
	    "progress events are NDJSON");
	free(s);
	ag.loglevel = AG_LOG_ERROR;
	capture();
	{
		struct ag_progress p;

		ag_progress_start(&ag, &p, "render", 100, 0);
		ag_progress_update(&p, 50);
		ag_progress_end(&p);
	}
	s = captured(&ag);
	is_str(s, "", "and -q silences them");
	free(s);
	ag.loglevel = AG_LOG_WARN;
	ag.progress = AG_PROGRESS_AUTO;
	capture();
	{
		struct ag_progress p;

		ag_progress_start(&ag, &p, "render", 100, 0);
		ag_progress_update(&p, 50);
		ag_progress_end(&p);
	}
	s = captured(&ag);
	is_str(s, "", "no bar when stderr is not a terminal");
	free(s);
	ag_release(&ag);
	return done_testing();
}

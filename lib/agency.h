/*
 * agency.h - the one header a binary in cmd/ includes.
 *
 * It defines struct agency, the context every library call takes as its
 * first argument (the seed's dependency-injection container: config, log
 * level, the store and the HTTP client travel in it, so tests point a
 * whole program at 127.0.0.1 by changing config alone), and enum
 * ag_status, the sysexits(3) values every function returns.
 *
 * Error protocol: library code never prints and never exits.  A function
 * that fails records one line in ag->err with ag_fail() and returns the
 * status; ag_finish() prints that line once as "agency-X: what: why" and
 * turns the status into the exit code.
 */
#ifndef AGENCY_H
#define AGENCY_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum ag_status {			/* the values are sysexits(3) codes */
	AG_OK = 0,
	AG_FALSE = 1,			/* a predicate answered "no" */
	AG_USAGE = 64,			/* bad command line */
	AG_DATAERR = 65,		/* bad input document or data */
	AG_NOINPUT = 66,		/* input missing or unreadable */
	AG_UNAVAILABLE = 69,		/* a service (every provider) is down */
	AG_SOFTWARE = 70,		/* internal error: a bug */
	AG_OSERR = 71,			/* out of memory, fork failed */
	AG_CANTCREAT = 73,		/* cannot create an output */
	AG_IOERR = 74,			/* read or write failed */
	AG_TEMPFAIL = 75,		/* try again later (the queue retries) */
	AG_NOPERM = 77,			/* permission denied */
	AG_CONFIG = 78			/* configuration error */
};

enum ag_progress_mode {
	AG_PROGRESS_AUTO,		/* a bar when stderr is a terminal */
	AG_PROGRESS_NONE,
	AG_PROGRESS_JSON		/* NDJSON events on stderr */
};

struct config;
struct store;
struct http;

struct agency {
	const char *progname;		/* "agency-compose", from argv[0] */
	int loglevel;			/* enum ag_loglevel */
	int color;			/* stderr is a terminal, NO_COLOR unset */
	int json;			/* --json: documents even on a terminal */
	int progress;			/* enum ag_progress_mode */
	const char *config_file;	/* --config, else the usual places */
	struct config *cfg;		/* loaded by ag_init() */
	struct store *store;		/* opened on first ag_store() */
	struct http *http;		/* created on first ag_http() */
	char err[1024];			/* the last error, one line */
};

#define AG_VERSION_STRING AGENCY_VERSION

#include "core/xalloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/opt.h"
#include "core/config.h"
#include "core/path.h"
#include "core/json.h"
#include "core/atomic.h"
#include "core/proc.h"
#include "core/tools.h"
#include "core/time.h"
#include "core/progress.h"
#include "core/redact.h"
#include "core/str.h"
#include "core/sha256.h"
#include "core/enc.h"
#include "core/lock.h"
#include "store/store.h"
#include "net/http.h"
#include "net/cred.h"
#include "net/oauth.h"
#include "brain/brain.h"
#include "media/loudness.h"
#include "media/audiofile.h"
#include "media/words.h"
#include "media/probe.h"
#include "media/captions.h"
#include "media/voice.h"
#include "music/music.h"
#include "queue/queue.h"
#include "schedule/schedule.h"
#include "platforms/platform.h"

/*
 * ag_init() - set up the context for a binary: progname from argv[0],
 * log level from AGENCY_LOG, colour from the terminal and NO_COLOR, then
 * a first scan of argv for --config, -q and -v so that config loading is
 * logged at the right level.  Config errors are fatal (exit 78).
 */
void ag_init(struct agency *ag, int argc, char *argv[]);

/*
 * ag_finish() - end a binary: print ag->err if rc is an error, flush and
 * close stdout (a failed write becomes AG_IOERR), release the context and
 * return the exit status for main() to return.
 */
int ag_finish(struct agency *ag, int rc);

#include "core/banned.h"		/* last: after the system headers */

/* Release everything ag holds without printing (for tests). */
void ag_release(struct agency *ag);

/*
 * ag_on_release() - have fn(arg) called when the context is released;
 * modules above the core (the store, the HTTP client) use it, last
 * registered first called.
 */
void ag_on_release(struct agency *ag, void (*fn)(void *), void *arg);

#endif

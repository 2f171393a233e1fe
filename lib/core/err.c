/* err.c - recording one-line errors in the context. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agency.h"

/* ag->err = a sep b, cut to fit. */
static void
join(struct agency *ag, const char *a, const char *sep, const char *b)
{
	struct buf m = BUF_INIT;
	size_t n;

	buf_addstr(&m, a);
	buf_addstr(&m, sep);
	buf_addstr(&m, b);
	n = m.len < sizeof(ag->err) ? m.len : sizeof(ag->err) - 1;
	memcpy(ag->err, m.data, n);
	ag->err[n] = '\0';
	buf_release(&m);
}

int
ag_failv(struct agency *ag, int code, const char *fmt, va_list ap)
{
	int saved = errno;
	size_t len = strlen(fmt);
	char msg[sizeof(ag->err)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (len > 0 && fmt[len - 1] == ':')
		join(ag, msg, " ", strerror(saved));
	else
		join(ag, msg, "", "");
	errno = saved;
	return code;
}

int
ag_fail(struct agency *ag, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	code = ag_failv(ag, code, fmt, ap);
	va_end(ap);
	return code;
}

void
ag_prefix(struct agency *ag, const char *fmt, ...)
{
	char pre[sizeof(ag->err)], old[sizeof(ag->err)];
	va_list ap;

	memcpy(old, ag->err, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	join(ag, pre, ": ", old);
}

void
ag_clear_error(struct agency *ag)
{
	ag->err[0] = '\0';
}

int
ag_batch(struct agency *ag, int rc, int last, int worst)
{
	if (rc != AG_OK && !last) {
		ag_print_error(ag, ag->err);
		ag_clear_error(ag);
	}
	return rc > worst ? rc : worst;
}

const char *
ag_status_name(int code)
{
	switch (code) {
	case AG_OK:		return "EX_OK";
	case AG_FALSE:		return "FALSE";
	case AG_USAGE:		return "EX_USAGE";
	case AG_DATAERR:	return "EX_DATAERR";
	case AG_NOINPUT:	return "EX_NOINPUT";
	case AG_UNAVAILABLE:	return "EX_UNAVAILABLE";
	case AG_SOFTWARE:	return "EX_SOFTWARE";
	case AG_OSERR:		return "EX_OSERR";
	case AG_CANTCREAT:	return "EX_CANTCREAT";
	case AG_IOERR:		return "EX_IOERR";
	case AG_TEMPFAIL:	return "EX_TEMPFAIL";
	case AG_NOPERM:		return "EX_NOPERM";
	case AG_CONFIG:		return "EX_CONFIG";
	default:		return "unknown";
	}
}

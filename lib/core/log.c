/* log.c - levelled, redacted, optionally coloured lines on stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

static const struct {
	const char *name;
	const char *color;
} levels[] = {
	[AG_LOG_ERROR] = { "error", "\033[1;31m" },
	[AG_LOG_WARN] = { "warning", "\033[1;33m" },
	[AG_LOG_INFO] = { "info", "\033[1;36m" },
	[AG_LOG_DEBUG] = { "debug", "\033[2m" },
	[AG_LOG_TRACE] = { "trace", "\033[2m" },
};

int
ag_loglevel_parse(const char *s)
{
	static const char *const names[] = {
		"error", "warn", "info", "debug", "trace"
	};
	size_t i;

	if (s == NULL)
		return -1;
	if (s[0] >= '0' && s[0] <= '4' && s[1] == '\0')
		return s[0] - '0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

static void
write_line(struct buf *line)
{
	size_t off = 0;
	ssize_t n;

	ag_progress_clear();
	while (off < line->len) {
		n = write(STDERR_FILENO, line->data + off, line->len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
}

static void
emit(struct agency *ag, int level, const char *text)
{
	struct buf line = BUF_INIT;

	/* Errors read "agency-X: what: why" with no level word. */
	if (level == AG_LOG_ERROR && ag->color)
		buf_addf(&line, "%s%s:\033[0m ", levels[level].color,
		    ag->progname);
	else
		buf_addf(&line, "%s: ", ag->progname);
	if (level != AG_LOG_ERROR && ag->color)
		buf_addf(&line, "%s%s:\033[0m ", levels[level].color,
		    levels[level].name);
	else if (level != AG_LOG_ERROR)
		buf_addf(&line, "%s: ", levels[level].name);
	ag_redact_buf(&line, text, strlen(text));
	buf_addch(&line, '\n');
	write_line(&line);
	buf_release(&line);
}

void
ag_vlog(struct agency *ag, int level, const char *fmt, va_list ap)
{
	char msg[4096];

	if (level > ag->loglevel)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	emit(ag, level, msg);
}

void
ag_log(struct agency *ag, int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ag_vlog(ag, level, fmt, ap);
	va_end(ap);
}

void
ag_print_error(struct agency *ag, const char *msg)
{
	emit(ag, AG_LOG_ERROR, msg);
}

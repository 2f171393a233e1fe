/*
 * log.h - diagnostics on stderr.
 *
 * Levels: error (only what ag_finish prints, -q), warn (the default),
 * info (-v), debug (-vv), trace (-vvv).  AGENCY_LOG=warn|info|debug|trace
 * (or 0-4) sets the starting level; -q and -v on the command line win.
 * Each message is one line "agency-X: level: text", written with one
 * write(2) so lines from parallel runs do not interleave, passed through
 * ag_redact() first, with the level in colour only when stderr is a
 * terminal and NO_COLOR is unset.
 */
#ifndef AG_LOG_H
#define AG_LOG_H

struct agency;

enum ag_loglevel {
	AG_LOG_ERROR = 0,
	AG_LOG_WARN = 1,
	AG_LOG_INFO = 2,
	AG_LOG_DEBUG = 3,
	AG_LOG_TRACE = 4
};

void ag_log(struct agency *ag, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ag_vlog(struct agency *ag, int level, const char *fmt, va_list ap);
/* Parse a level name or digit; -1 if it is neither. */
int ag_loglevel_parse(const char *s);

#define ag_warn(ag, ...)  ag_log((ag), AG_LOG_WARN, __VA_ARGS__)
#define ag_info(ag, ...)  ag_log((ag), AG_LOG_INFO, __VA_ARGS__)
#define ag_debug(ag, ...) ag_log((ag), AG_LOG_DEBUG, __VA_ARGS__)
#define ag_trace(ag, ...) ag_log((ag), AG_LOG_TRACE, __VA_ARGS__)

/* Write an error line "progname: msg" the way ag_finish() does. */
void ag_print_error(struct agency *ag, const char *msg);

#endif

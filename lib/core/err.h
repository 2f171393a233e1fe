/*
 * err.h - recording errors.
 *
 * ag_fail() formats one line into ag->err and returns code, so a failing
 * function ends with "return ag_fail(ag, AG_NOINPUT, ...)".  A format
 * that ends in ':' gets ": strerror(errno)" appended (errno is read
 * before anything else runs).  The message is "what 'subject': why",
 * lower case, no full stop; ag_finish() adds the "agency-X: " prefix.
 * A later ag_fail() replaces an earlier message; ag_prefix() adds
 * context in front of the recorded one ("reading 'x.json': ...").
 */
#ifndef AG_ERR_H
#define AG_ERR_H

struct agency;

int ag_fail(struct agency *ag, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int ag_failv(struct agency *ag, int code, const char *fmt, va_list ap);
void ag_prefix(struct agency *ag, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ag_clear_error(struct agency *ag);
/*
 * ag_batch() - after one item of a batch (rc its status; last: it was the
 * last item): a failure of an item that is not the last is printed and
 * cleared, so that the batch goes on and the last error is the one
 * ag_finish() prints; returns the worse of worst and rc, the batch's exit
 * status so far (STYLE: batches go on, exit with the worst status).
 */
int ag_batch(struct agency *ag, int rc, int last, int worst);
/* The symbolic name of a status ("EX_DATAERR") for logs and docs. */
const char *ag_status_name(int code);

#endif

/*
 * buf.h - growable byte buffers with a size cap.
 *
 * A struct buf is caller-owned: buf_init() it, add to it, buf_release()
 * it.  data is always NUL-terminated (so text can be used as a string)
 * and is NULL until the first add.  A buffer may carry a cap (max bytes,
 * 0 = unlimited): an add that would pass it adds nothing and returns -1,
 * which is how HTTP responses and child output are bounded (curl's
 * dynbuf does the same).  Allocation failure exits (xalloc.h).
 */
#ifndef AG_BUF_H
#define AG_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;			/* allocated, excluding the NUL */
	size_t max;			/* 0: no limit */
};

#define BUF_INIT { NULL, 0, 0, 0 }

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);		/* empty, keep the memory */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_addstr(struct buf *b, const char *s);
int buf_addch(struct buf *b, int c);
int buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hand the string to the caller (free() it); b is left empty. */
char *buf_detach(struct buf *b);
/* The contents as a string: "" for an empty buffer, never NULL. */
const char *buf_str(const struct buf *b);

#endif

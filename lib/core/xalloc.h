/*
 * xalloc.h - allocation that cannot fail.
 *
 * Each function either returns what it promises or prints
 * "agency-X: out of memory" and exits with AG_OSERR (71), like git's
 * wrapper.c.  Everything returned is owned by the caller and freed with
 * free().  xstrdup(NULL) returns NULL.
 */
#ifndef AG_XALLOC_H
#define AG_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array of nmemb elements of size bytes, checking overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* Print "agency-X: out of memory" and exit 71. */
void ag_oom(void) __attribute__((noreturn));

/* The name printed before "out of memory"; set by ag_init(). */
extern const char *ag_progname;

#endif

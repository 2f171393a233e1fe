/* enc.c - hex, base64url, percent-encoding, random bytes (see enc.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "agency.h"
#include "core/enc.h"

void
ag_hex(struct buf *out, const void *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		buf_addch(out, digits[b[i] >> 4]);
		buf_addch(out, digits[b[i] & 15]);
	}
}

static void
base64(struct buf *out, const void *p, size_t n, const char *abc, int pad)
{
	const unsigned char *b = p;
	unsigned long v;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)b[i] << 16 | (unsigned long)b[i + 1] << 8 |
		    b[i + 2];
		buf_addch(out, abc[v >> 18 & 63]);
		buf_addch(out, abc[v >> 12 & 63]);
		buf_addch(out, abc[v >> 6 & 63]);
		buf_addch(out, abc[v & 63]);
	}
	if (n - i == 1) {
		v = (unsigned long)b[i] << 16;
		buf_addch(out, abc[v >> 18 & 63]);
		buf_addch(out, abc[v >> 12 & 63]);
		if (pad)
			buf_addstr(out, "==");
	} else if (n - i == 2) {
		v = (unsigned long)b[i] << 16 | (unsigned long)b[i + 1] << 8;
		buf_addch(out, abc[v >> 18 & 63]);
		buf_addch(out, abc[v >> 12 & 63]);
		buf_addch(out, abc[v >> 6 & 63]);
		if (pad)
			buf_addch(out, '=');
	}
}

void
ag_base64url(struct buf *out, const void *p, size_t n)
{
	base64(out, p, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_", 0);
}

void
ag_base64(struct buf *out, const void *p, size_t n)
{
	base64(out, p, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/", 1);
}

static int
unreserved(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

void
ag_urlencode(struct buf *out, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (unreserved(*p))
			buf_addch(out, *p);
		else
			buf_addf(out, "%%%02X", *p);
	}
}

void
ag_form_add(struct buf *out, const char *name, const char *value)
{
	if (out->len > 0)
		buf_addch(out, '&');
	ag_urlencode(out, name);
	buf_addch(out, '=');
	ag_urlencode(out, value ? value : "");
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
ag_query_param(const char *query, const char *name)
{
	size_t n = strlen(name);
	const char *p, *end;
	struct buf v = BUF_INIT;

	for (p = query; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "&");
		if ((size_t)(end - p) < n || strncmp(p, name, n) != 0 ||
		    (p[n] != '=' && p + n != end))
			continue;
		buf_addstr(&v, "");
		for (p += n + (p[n] == '='); p < end; p++) {
			if (*p == '+')
				buf_addch(&v, ' ');
			else if (*p == '%' && end - p >= 3 &&
			    hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
				buf_addch(&v, hexval(p[1]) << 4 | hexval(p[2]));
				p += 2;
			} else
				buf_addch(&v, *p);
		}
		return buf_detach(&v);
	}
	return NULL;
}

int
ag_random(struct agency *ag, void *p, size_t n)
{
	unsigned char *b = p;
	ssize_t got;

	while (n > 0) {
		got = getrandom(b, n, 0);
		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0)
			return ag_fail(ag, AG_OSERR, "cannot get random "
			    "bytes:");
		b += got;
		n -= (size_t)got;
	}
	return AG_OK;
}

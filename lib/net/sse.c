/*
 * sse.c - Server-Sent Events (WHATWG), one line at a time.
 *
 * An event ends at a blank line; "data:" lines are joined with "\n";
 * "event:" names it; lines starting with ':' are comments; one space
 * after the colon is dropped; other fields (id, retry) are ignored.
 * The HTTP client has already split lines and removed CR/LF.
 */
#include <string.h>

#include "agency.h"

void
sse_init(struct sse *s, int (*on_event)(void *, const char *, const char *),
    void *arg)
{
	buf_init(&s->event, 1 << 16);
	buf_init(&s->data, 64u << 20);
	s->has_data = 0;
	s->on_event = on_event;
	s->arg = arg;
}

void
sse_release(struct sse *s)
{
	buf_release(&s->event);
	buf_release(&s->data);
}

static int
dispatch(struct sse *s)
{
	int rc = 0;

	if (s->has_data)
		rc = s->on_event(s->arg, s->event.len ? s->event.data :
		    "message", buf_str(&s->data));
	buf_reset(&s->event);
	buf_reset(&s->data);
	s->has_data = 0;
	return rc;
}

int
sse_line(void *arg, const char *line, size_t len)
{
	struct sse *s = arg;
	const char *colon, *value;
	size_t name, vlen;

	if (len == 0)
		return dispatch(s);
	if (line[0] == ':')
		return 0;
	colon = memchr(line, ':', len);
	name = colon ? (size_t)(colon - line) : len;
	value = colon ? colon + 1 : line + len;
	vlen = len - (size_t)(value - line);
	if (vlen > 0 && *value == ' ') {
		value++;
		vlen--;
	}
	if (name == 4 && memcmp(line, "data", 4) == 0) {
		if (s->has_data && buf_addch(&s->data, '\n') == -1)
			return AG_DATAERR;
		if (buf_add(&s->data, value, vlen) == -1)
			return AG_DATAERR;
		s->has_data = 1;
	} else if (name == 5 && memcmp(line, "event", 5) == 0) {
		buf_reset(&s->event);
		buf_add(&s->event, value, vlen);
	}
	return 0;
}

int
sse_finish(struct sse *s)
{
	return dispatch(s);
}

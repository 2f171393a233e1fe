/*
 * t-sse.c - the Server-Sent Events assembler, fed lines by hand.
 *
 * The HTTP client strips CR LF before sse_line() sees a line, so lines
 * here carry no line ending.
 */
#include "tap.h"

#define MAXEV 16

struct seen {
	int n;
	char event[MAXEV][64];
	char data[MAXEV][256];
	int stop_at;			/* return 42 on event stop_at */
};

static int
on_event(void *arg, const char *event, const char *data)
{
	struct seen *s = arg;

	if (s->n < MAXEV) {
		snprintf(s->event[s->n], sizeof(s->event[0]), "%s", event);
		snprintf(s->data[s->n], sizeof(s->data[0]), "%s", data);
	}
	s->n++;
	return s->n == s->stop_at ? 42 : 0;
}

/* Feed a NULL-terminated list of lines; the first non-zero return. */
static int
feed(struct sse *s, const char *const *lines)
{
	int rc;

	for (; *lines != NULL; lines++)
		if ((rc = sse_line(s, *lines, strlen(*lines))) != 0)
			return rc;
	return 0;
}

static void
test_basic(void)
{
	static const char *const lines[] = {
		": a comment", "",
		"data: hello", "",
		"event: delta", "data: one", "data: two", "data:three", "",
		"data:  two spaces", "",
		"id: 7", "retry: 1000", "unknown field", "data: {\"n\":3}", "",
		"data: [DONE]", "",
		NULL
	};
	struct seen seen = { 0 };
	struct sse s;

	sse_init(&s, on_event, &seen);
	is_int(feed(&s, lines), 0, "basic: every line accepted");
	is_int(seen.n, 5, "basic: five events");
	is_str(seen.event[0], "message", "basic: no event: means message");
	is_str(seen.data[0], "hello", "basic: one space after the colon "
	    "dropped");
	is_str(seen.event[1], "delta", "basic: event: names the event");
	is_str(seen.data[1], "one\ntwo\nthree", "basic: data lines joined "
	    "with \\n, data: without the space too");
	is_str(seen.data[2], " two spaces", "basic: only one space dropped");
	is_str(seen.event[2], "message", "basic: the event name does not "
	    "carry over");
	is_str(seen.data[3], "{\"n\":3}", "basic: id, retry and unknown "
	    "fields ignored");
	is_str(seen.data[4], "[DONE]", "basic: [DONE] is an ordinary event");
	is_int(sse_finish(&s), 0, "basic: finish with nothing pending");
	is_int(seen.n, 5, "basic: finish delivered nothing more");
	sse_release(&s);
}

static void
test_comments_only(void)
{
	static const char *const lines[] = {
		": keep-alive", "", ":", "", "", ":data: not data", "", NULL
	};
	struct seen seen = { 0 };
	struct sse s;

	sse_init(&s, on_event, &seen);
	is_int(feed(&s, lines), 0, "comments: accepted");
	is_int(seen.n, 0, "comments: and blank lines make no event");
	sse_release(&s);
}

static void
test_event_without_data(void)
{
	static const char *const lines[] = {
		"event: ping", "", "data: x", "", NULL
	};
	struct seen seen = { 0 };
	struct sse s;

	sse_init(&s, on_event, &seen);
	feed(&s, lines);
	is_int(seen.n, 1, "no data: an event: alone is not dispatched");
	is_str(seen.event[0], "message", "no data: its name is forgotten");
	is_str(seen.data[0], "x", "no data: the next event is intact");
	sse_release(&s);
}

static void
test_empty_data(void)
{
	static const char *const lines[] = {
		"data", "", "data:", "data:", "", NULL
	};
	struct seen seen = { 0 };
	struct sse s;

	sse_init(&s, on_event, &seen);
	feed(&s, lines);
	is_int(seen.n, 2, "empty data: a bare data field is an event");
	is_str(seen.data[0], "", "empty data: with empty data");
	is_str(seen.data[1], "\n", "empty data: two empty lines join to \\n");
	sse_release(&s);
}

static void
test_finish(void)
{
	static const char *const lines[] = {
		"data: first", "", "event: last", "data: a", "data: b", NULL
	};
	struct seen seen = { 0 };
	struct sse s;

	sse_init(&s, on_event, &seen);
	feed(&s, lines);
	is_int(seen.n, 1, "finish: the unterminated event is held back");
	is_int(sse_finish(&s), 0, "finish: returns 0");
	is_int(seen.n, 2, "finish: delivers the held event");
	is_str(seen.event[1], "last", "finish: with its name");
	is_str(seen.data[1], "a\nb", "finish: and its data");
	is_int(sse_finish(&s), 0, "finish: twice is harmless");
	is_int(seen.n, 2, "finish: and delivers nothing the second time");
	sse_release(&s);
}

static void
test_lengths(void)
{
	struct seen seen = { 0 };
	struct sse s;
	const char text[] = "data: abcXYZ";

	/* A line is (pointer, length): nothing past len may be read. */
	sse_init(&s, on_event, &seen);
	sse_line(&s, text, 9);
	sse_line(&s, "\n", 0);
	is_int(seen.n, 1, "length: one event");
	is_str(seen.data[0], "abc", "length: only len bytes of the line");
	sse_release(&s);
}

static void
test_stop(void)
{
	static const char *const lines[] = {
		"data: 1", "", "data: 2", "", "data: 3", "", NULL
	};
	struct seen seen = { 0 };
	struct sse s;

	seen.stop_at = 2;
	sse_init(&s, on_event, &seen);
	is_int(feed(&s, lines), 42, "stop: the callback's status comes back");
	is_int(seen.n, 2, "stop: at the event that asked");

	seen.n = 0;
	seen.stop_at = 1;
	sse_line(&s, "data: pending", 13);
	is_int(sse_finish(&s), 42, "stop: sse_finish passes it back too");
	sse_release(&s);
}

static void
test_cap(void)
{
	struct seen seen = { 0 };
	struct sse s;

	sse_init(&s, on_event, &seen);
	s.data.max = 8;
	is_int(sse_line(&s, "data: 12345", 11), 0, "cap: within the cap");
	is_int(sse_line(&s, "data: 67890", 11), AG_DATAERR,
	    "cap: data over the cap is AG_DATAERR");
	sse_release(&s);
}

int
main(void)
{
	test_basic();
	test_comments_only();
	test_event_without_data();
	test_empty_data();
	test_finish();
	test_lengths();
	test_stop();
	test_cap();
	return done_testing();
}

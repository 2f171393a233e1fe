/*
 * extract.c - the JSON object inside a model's text (llm.md §3.2 step 4).
 *
 * Models wrap JSON in code fences and prose even in JSON mode.  We trim
 * a BOM and white space, drop an opening ```json line and the closing
 * fence, and try to parse.  Failing that, we take the first balanced
 * {...}: a small state machine that skips braces inside strings and
 * escapes, so a fence or a brace inside a string value does not cut the
 * object short.  Trailing commas before } or ] (outside strings) are
 * removed.  A truncated object is not closed by guesswork: that is for
 * the finish reason and a repair prompt.
 */
#include <string.h>

#include "llm.h"

/* The end of the balanced object starting at s[0] == '{', or NULL. */
static const char *
object_end(const char *s, const char *end)
{
	int depth = 0, instr = 0;
	const char *p;

	for (p = s; p < end; p++) {
		if (instr) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				instr = 0;
			continue;
		}
		if (*p == '"')
			instr = 1;
		else if (*p == '{' || *p == '[')
			depth++;
		else if ((*p == '}' || *p == ']') && --depth == 0)
			return p + 1;
	}
	return NULL;
}

/* Copy s..end into out without commas that only precede } or ]. */
static void
drop_trailing_commas(const char *s, const char *end, struct buf *out)
{
	const char *p, *q;
	int instr = 0;

	for (p = s; p < end; p++) {
		if (instr) {
			if (*p == '\\' && p + 1 < end) {
				buf_add(out, p, 2);
				p++;
				continue;
			}
			if (*p == '"')
				instr = 0;
		} else if (*p == '"') {
			instr = 1;
		} else if (*p == ',') {
			for (q = p + 1; q < end && strchr(" \t\r\n", *q); q++)
				;
			if (q < end && (*q == '}' || *q == ']'))
				continue;
		}
		buf_addch(out, *p);
	}
}

static cJSON *
parse(const char *s, const char *end)
{
	const char *stop = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(s, (size_t)(end - s), &stop, 0);

	if (j == NULL)
		return NULL;
	while (stop != NULL && stop < end && strchr(" \t\r\n", *stop) &&
	    *stop != '\0')
		stop++;
	if (!cJSON_IsObject(j) || (stop != NULL && stop < end)) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

static cJSON *
try_text(const char *s, const char *end)
{
	struct buf b = BUF_INIT;
	const char *p, *e;
	cJSON *j;

	if ((j = parse(s, end)) != NULL)
		return j;
	for (p = s; p < end; p++) {
		if (*p != '{' || (e = object_end(p, end)) == NULL)
			continue;
		if ((j = parse(p, e)) != NULL)
			return j;
		buf_reset(&b);
		drop_trailing_commas(p, e, &b);
		j = parse(b.data, b.data + b.len);
		buf_release(&b);
		if (j != NULL)
			return j;
	}
	buf_release(&b);
	return NULL;
}

int
llm_extract(struct agency *ag, const char *text, cJSON **out)
{
	const char *s = text, *end = text + strlen(text), *nl, *f;
	cJSON *j;

	if (strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (s < end && strchr(" \t\r\n", *s))
		s++;
	while (end > s && strchr(" \t\r\n", end[-1]))
		end--;
	if (s == end)
		return ag_fail(ag, AG_DATAERR, "the answer is empty");
	/* ```json ... ``` : drop the first line and the last fence. */
	if (end - s >= 3 && strncmp(s, "```", 3) == 0 &&
	    (nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		f = end;
		if (f - nl >= 3 && strncmp(f - 3, "```", 3) == 0)
			f -= 3;
		if ((j = try_text(nl + 1, f)) != NULL) {
			*out = j;
			return AG_OK;
		}
	}
	if ((j = try_text(s, end)) != NULL) {
		*out = j;
		return AG_OK;
	}
	if (memchr(s, '{', (size_t)(end - s)) == NULL)
		return ag_fail(ag, AG_DATAERR, "the answer holds no JSON "
		    "object");
	return ag_fail(ag, AG_DATAERR, "the answer is not valid JSON");
}

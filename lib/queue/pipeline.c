/*
 * pipeline.c - "script --topic 'x' | produce | upload --to y" as stages.
 *
 * Words are split the way sh(1) splits a simple command, without any
 * expansion: blanks separate words, '...' keeps everything literally,
 * "..." keeps everything but a backslash before " \ $ or `, and a
 * backslash outside quotes keeps the next character.  An unquoted '|'
 * ends a stage.  Nothing here runs a shell.
 */
#include <stdlib.h>
#include <string.h>

#include "agency.h"

static void
stage_release(struct queue_stage *st)
{
	size_t j;

	free(st->type);
	for (j = 0; j < st->argc; j++)
		free(st->argv[j]);
	free(st->argv);
}

void
queue_stages_free(struct queue_stage *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		stage_release(&v[i]);
	free(v);
}

/* Append the word in w (if there is one) to the stage. */
static void
push_word(struct queue_stage *st, struct buf *w, int *inword)
{
	if (!*inword)
		return;
	st->argv = xreallocarray(st->argv, st->argc + 1, sizeof(*st->argv));
	st->argv[st->argc++] = xstrdup(buf_str(w));
	buf_reset(w);
	*inword = 0;
}

/* Close a stage: its first word is the type. */
static int
push_stage(struct agency *ag, struct queue_stage **v, size_t *n,
    struct queue_stage *st, size_t index)
{
	if (st->argc == 0)
		return ag_fail(ag, AG_USAGE, "pipeline: stage %zu is empty",
		    index + 1);
	if (!ag_tool_name_ok(st->argv[0]))
		return ag_fail(ag, AG_USAGE, "pipeline: '%s' is not a job type "
		    "(letters, digits, '-', '_' and '.')", st->argv[0]);
	st->type = st->argv[0];
	memmove(st->argv, st->argv + 1, --st->argc * sizeof(*st->argv));
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = *st;
	memset(st, 0, sizeof(*st));
	return AG_OK;
}

int
queue_parse_pipeline(struct agency *ag, const char *text,
    struct queue_stage **out, size_t *n)
{
	struct queue_stage cur, *v = NULL;
	struct buf w = BUF_INIT;
	const char *p;
	size_t nv = 0;
	int inword = 0, rc = AG_OK;
	char q = 0;

	memset(&cur, 0, sizeof(cur));
	for (p = text; *p != '\0' && rc == AG_OK; p++) {
		if (q == '\'') {
			if (*p == '\'')
				q = 0;
			else
				buf_addch(&w, *p);
		} else if (q == '"') {
			if (*p == '"')
				q = 0;
			else if (*p == '\\' && strchr("\"\\$`", p[1]) &&
			    p[1] != '\0')
				buf_addch(&w, *++p);
			else
				buf_addch(&w, *p);
		} else if (*p == '\'' || *p == '"') {
			q = *p;
			inword = 1;
		} else if (*p == '\\') {
			if (p[1] != '\0')
				buf_addch(&w, *++p);
			inword = 1;
		} else if (*p == ' ' || *p == '\t' || *p == '\n') {
			push_word(&cur, &w, &inword);
		} else if (*p == '|') {
			push_word(&cur, &w, &inword);
			rc = push_stage(ag, &v, &nv, &cur, nv);
		} else {
			buf_addch(&w, *p);
			inword = 1;
		}
	}
	if (rc == AG_OK && q != 0)
		rc = ag_fail(ag, AG_USAGE, "pipeline: unterminated %c quote",
		    q);
	if (rc == AG_OK) {
		push_word(&cur, &w, &inword);
		rc = push_stage(ag, &v, &nv, &cur, nv);
	}
	buf_release(&w);
	if (rc != AG_OK) {
		stage_release(&cur);
		queue_stages_free(v, nv);
		return rc;
	}
	*out = v;
	*n = nv;
	return AG_OK;
}

/*
 * yamltree.c - libyaml events to a positioned tree, and in-place edits.
 *
 * The parser's event stream is folded with a stack: MAPPING_START and
 * SEQUENCE_START push a container, their END events pop it, and a
 * SCALAR inside a mapping is alternately a key and a value.  libyaml's
 * marks are 0-based (index, line, column); we keep byte ranges for
 * editing and 1-based line:column for messages.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "buf.h"
#include "xalloc.h"
#include "yamltree.h"

#define MAXDEPTH 64

struct frame {
	struct ynode *node;
	char *key;			/* a mapping's pending key */
	yaml_mark_t keymark;
};

static void
seterr(struct yerror *err, const yaml_mark_t *m, const char *fmt,
    const char *arg)
{
	err->line = m ? (int)m->line + 1 : 0;
	err->col = m ? (int)m->column + 1 : 0;
	snprintf(err->msg, sizeof(err->msg), fmt, arg);
}

void
ytree_free(struct ynode *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nkids; i++)
		ytree_free(n->kids[i]);
	free(n->kids);
	free(n->key);
	free(n->value);
	free(n);
}

struct ynode *
ytree_child(const struct ynode *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != YN_MAP)
		return NULL;
	for (i = 0; i < map->nkids; i++)
		if (strcmp(map->kids[i]->key, key) == 0)
			return map->kids[i];
	return NULL;
}

struct ynode *
ytree_get(const struct ynode *root, const char *path)
{
	const struct ynode *n = root;
	char seg[128];
	const char *p = path, *dot;
	size_t len;

	while (n != NULL && *p != '\0') {
		dot = strchr(p, '.');
		len = dot ? (size_t)(dot - p) : strlen(p);
		if (len >= sizeof(seg))
			return NULL;
		memcpy(seg, p, len);
		seg[len] = '\0';
		n = ytree_child(n, seg);
		p += len + (dot != NULL);
	}
	return (struct ynode *)n;
}

static void
grow_last(struct frame *stack, int depth, size_t end)
{
	int i;

	for (i = 0; i < depth; i++)
		if (stack[i].node->last < end)
			stack[i].node->last = end;
}

/* Attach a finished or opening node to the container on top. */
static int
attach(struct frame *top, struct ynode *n, const yaml_mark_t *m,
    struct yerror *err)
{
	struct ynode *p = top->node;

	if (p->kind == YN_MAP) {
		if (ytree_child(p, top->key) != NULL) {
			seterr(err, &top->keymark, "duplicate key '%s'",
			    top->key);
			return -1;
		}
		n->key = top->key;
		top->key = NULL;
		n->line = (int)top->keymark.line + 1;
		n->col = (int)top->keymark.column + 1;
		n->indent = (int)top->keymark.column;
	} else {
		n->line = (int)m->line + 1;
		n->col = (int)m->column + 1;
		n->indent = (int)m->column;
	}
	n->vline = (int)m->line + 1;
	n->vcol = (int)m->column + 1;
	p->kids = xreallocarray(p->kids, p->nkids + 1, sizeof(*p->kids));
	p->kids[p->nkids++] = n;
	return 0;
}

static struct ynode *
newnode(enum ynode_kind kind, const yaml_event_t *ev)
{
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->start = ev->start_mark.index;
	n->end = ev->end_mark.index;
	n->last = n->end;
	return n;
}

/* One event; returns 1 at the end of the stream, 0 to go on, -1 on error. */
static int
fold(yaml_event_t *ev, struct frame *stack, int *depth, int *docs,
    struct yerror *err)
{
	struct frame *top = *depth > 0 ? &stack[*depth - 1] : NULL;
	struct ynode *n;
	int kind;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1) {
			seterr(err, &ev->start_mark,
			    "only one YAML document is allowed%s", "");
			return -1;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		seterr(err, &ev->start_mark,
		    "aliases (*%s) are not supported", "name");
		return -1;
	case YAML_SCALAR_EVENT:
		if (top == NULL) {
			/* A bare scalar as the whole document. */
			seterr(err, &ev->start_mark,
			    "expected a mapping of keys%s", "");
			return -1;
		}
		if (top->node->kind == YN_MAP && top->key == NULL) {
			top->key = xstrdup((char *)ev->data.scalar.value);
			top->keymark = ev->start_mark;
			return 0;
		}
		n = newnode(YN_SCALAR, ev);
		n->value = xstrdup((char *)ev->data.scalar.value);
		if (attach(top, n, &ev->start_mark, err) == -1) {
			ytree_free(n);
			return -1;
		}
		grow_last(stack, *depth, n->end);
		return 0;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		kind = ev->type == YAML_MAPPING_START_EVENT ? YN_MAP : YN_SEQ;
		if (*depth >= MAXDEPTH) {
			seterr(err, &ev->start_mark, "nested too deeply%s", "");
			return -1;
		}
		if (top != NULL && top->node->kind == YN_MAP &&
		    top->key == NULL) {
			seterr(err, &ev->start_mark,
			    "keys must be plain strings%s", "");
			return -1;
		}
		n = newnode(kind, ev);
		n->flow = kind == YN_MAP ?
		    ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE :
		    ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
		if (top != NULL && attach(top, n, &ev->start_mark, err) == -1) {
			ytree_free(n);
			return -1;
		}
		if (top == NULL && kind != YN_MAP) {
			ytree_free(n);
			seterr(err, &ev->start_mark,
			    "expected a mapping of keys%s", "");
			return -1;
		}
		stack[*depth].node = n;
		stack[*depth].key = NULL;
		++*depth;
		return 0;
	case YAML_MAPPING_END_EVENT:
	case YAML_SEQUENCE_END_EVENT:
		/* For a flow container this is the closing bracket. */
		top->node->end = ev->start_mark.index;
		free(top->key);
		top->key = NULL;
		if (*depth > 1)
			--*depth;
		else
			top->node->end = ev->end_mark.index;
		return 0;
	default:
		return 0;
	}
}

int
ytree_parse(const char *text, size_t len, struct ynode **out,
    struct yerror *err)
{
	struct frame stack[MAXDEPTH];
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, docs = 0, rc = 0, i;

	memset(err, 0, sizeof(*err));
	memset(stack, 0, sizeof(stack));
	if (!yaml_parser_initialize(&p)) {
		seterr(err, NULL, "cannot start the YAML parser%s", "");
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			seterr(err, &p.problem_mark, "%s", p.problem ?
			    p.problem : "malformed YAML");
			rc = -1;
			break;
		}
		rc = fold(&ev, stack, &depth, &docs, err);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	if (rc == -1) {
		for (i = 1; i < depth; i++)
			free(stack[i].key);
		if (depth > 0) {
			free(stack[0].key);
			ytree_free(stack[0].node);
		}
		return -1;
	}
	if (depth == 0) {		/* an empty file is an empty mapping */
		stack[0].node = xcalloc(1, sizeof(struct ynode));
		stack[0].node->kind = YN_MAP;
		stack[0].node->end = len;
	}
	*out = stack[0].node;
	return 0;
}

static int
plain_ok(const char *v)
{
	size_t i, n = strlen(v);

	if (n == 0 || isspace((unsigned char)v[0]) ||
	    isspace((unsigned char)v[n - 1]))
		return 0;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", v[0]) != NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return 0;
		if (v[i] == ':' && (i + 1 == n || v[i + 1] == ' '))
			return 0;
		if (v[i] == '#' && v[i - 1] == ' ')
			return 0;
	}
	return 1;
}

void
ytree_scalar(struct buf *out, const char *v)
{
	const char *p;

	if (plain_ok(v)) {
		buf_addstr(out, v);
		return;
	}
	buf_addch(out, '"');
	for (p = v; *p != '\0'; p++) {
		switch (*p) {
		case '"':  buf_addstr(out, "\\\""); break;
		case '\\': buf_addstr(out, "\\\\"); break;
		case '\n': buf_addstr(out, "\\n"); break;
		case '\t': buf_addstr(out, "\\t"); break;
		case '\r': buf_addstr(out, "\\r"); break;
		default:
			if ((unsigned char)*p < 0x20)
				buf_addf(out, "\\x%02x", (unsigned char)*p);
			else
				buf_addch(out, *p);
		}
	}
	buf_addch(out, '"');
}

static void
add_value(struct buf *out, const char *value, int is_list)
{
	const char *p = value, *comma;
	int first = 1;
	char *item;

	if (!is_list) {
		ytree_scalar(out, value);
		return;
	}
	buf_addch(out, '[');
	while (*p != '\0') {
		comma = strchr(p, ',');
		item = xstrndup(p, comma ? (size_t)(comma - p) : strlen(p));
		if (*item != '\0') {
			buf_addstr(out, first ? "" : ", ");
			ytree_scalar(out, item);
			first = 0;
		}
		free(item);
		p = comma ? comma + 1 : p + strlen(p);
	}
	buf_addch(out, ']');
}

/* segs[0..n-1] as nested block mappings starting at column indent. */
static void
add_block(struct buf *out, char **segs, int n, int indent, const char *value,
    int is_list)
{
	int i;

	for (i = 0; i < n; i++) {
		buf_addch(out, '\n');
		buf_addf(out, "%*s", indent + 2 * i, "");
		ytree_scalar(out, segs[i]);
		buf_addch(out, ':');
		if (i == n - 1) {
			buf_addch(out, ' ');
			add_value(out, value, is_list);
		}
	}
}

/* segs[0..n-1] as nested flow mappings: "a: {b: v}". */
static void
add_flow(struct buf *out, char **segs, int n, const char *value, int is_list)
{
	int i;

	for (i = 0; i < n; i++) {
		ytree_scalar(out, segs[i]);
		buf_addstr(out, ": ");
		if (i < n - 1)
			buf_addch(out, '{');
	}
	add_value(out, value, is_list);
	for (i = 0; i < n - 1; i++)
		buf_addch(out, '}');
}

static int
splitpath(const char *path, char ***segs)
{
	const char *p = path, *dot;
	int n = 0;

	*segs = NULL;
	while (*p != '\0') {
		dot = strchr(p, '.');
		*segs = xreallocarray(*segs, (size_t)n + 1, sizeof(**segs));
		(*segs)[n++] = xstrndup(p, dot ? (size_t)(dot - p) :
		    strlen(p));
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	return n;
}

static int
edit(const char *text, size_t len, struct ynode *root, char **segs, int nseg,
    const char *value, int is_list, struct buf *out, struct yerror *err)
{
	struct ynode *n = root, *next;
	struct buf mid = BUF_INIT;
	size_t at, cut;
	int i = 0, indent;

	while (i < nseg && (next = ytree_child(n, segs[i])) != NULL) {
		if (i < nseg - 1 && next->kind != YN_MAP &&
		    !(next->kind == YN_SCALAR && *next->value == '\0')) {
			err->line = next->line;
			err->col = next->col;
			snprintf(err->msg, sizeof(err->msg),
			    "'%s' is a value, not a section", segs[i]);
			return -1;
		}
		n = next;
		i++;
	}
	buf_addstr(&mid, "");
	if (i == nseg || (n->kind == YN_SCALAR && n != root)) {
		/* Replace an existing value (or an empty "key:"). */
		at = n->start;
		if (n->kind == YN_SCALAR)
			cut = n->end;
		else			/* past the bracket of a flow one */
			cut = n->flow ? n->end + 1 : n->last;
		if (n->kind == YN_MAP && i == nseg) {
			err->line = n->line;
			err->col = n->col;
			snprintf(err->msg, sizeof(err->msg),
			    "'%s' is a section, not a value", segs[i - 1]);
			buf_release(&mid);
			return -1;
		}
		if (at > 0 && text[at - 1] == ':' && i == nseg)
			buf_addch(&mid, ' ');
		if (i == nseg)
			add_value(&mid, value, is_list);
		else
			add_block(&mid, segs + i, nseg - i, n->indent + 2,
			    value, is_list);
	} else if (n->flow) {
		at = cut = n->end;	/* the closing brace */
		if (n->nkids > 0)
			buf_addstr(&mid, ", ");
		add_flow(&mid, segs + i, nseg - i, value, is_list);
	} else if (n->nkids == 0) {
		/* An empty document: append, on a line of its own. */
		at = cut = len;
		add_block(&mid, segs + i, nseg - i, 0, value, is_list);
		buf_addch(&mid, '\n');
		if (len == 0 || text[len - 1] == '\n')
			memmove(mid.data, mid.data + 1, mid.len--);
	} else {
		indent = n->kids[0]->indent;
		/* After the last value's line, comment included. */
		at = n->last;
		while (at < len && text[at] != '\n')
			at++;
		cut = at;
		add_block(&mid, segs + i, nseg - i, indent, value, is_list);
	}
	buf_add(out, text, at);
	buf_add(out, mid.data, mid.len);
	buf_add(out, text + cut, len - cut);
	buf_release(&mid);
	return 0;
}

int
ytree_set(const char *text, size_t len, const char *path, const char *value,
    int is_list, struct buf *out, struct yerror *err)
{
	struct ynode *root = NULL, *check = NULL;
	char **segs;
	int nseg, rc, i;

	if (ytree_parse(text, len, &root, err) == -1)
		return -1;
	nseg = splitpath(path, &segs);
	rc = edit(text, len, root, segs, nseg, value, is_list, out, err);
	if (rc == 0 && out->len > 0 && out->data[out->len - 1] != '\n')
		buf_addch(out, '\n');
	/* Never write a file we cannot read back. */
	if (rc == 0 && ytree_parse(out->data, out->len, &check, err) == -1) {
		snprintf(err->msg, sizeof(err->msg),
		    "the edited file would not parse; edit it by hand");
		rc = -1;
	}
	ytree_free(check);
	ytree_free(root);
	for (i = 0; i < nseg; i++)
		free(segs[i]);
	free(segs);
	return rc;
}

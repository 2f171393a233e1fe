/* json.c - reading, checking and printing documents. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

#define MAXDOC (256u << 20)		/* no document is this large */

cJSON *
ag_doc_new(const char *kind)
{
	cJSON *doc = cJSON_CreateObject();

	if (doc == NULL)
		ag_oom();
	cJSON_AddStringToObject(doc, "kind", kind);
	cJSON_AddNumberToObject(doc, "version", AG_DOC_VERSION);
	return doc;
}

const char *
ag_doc_name(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0 ? "<stdin>" : path;
}

static void
position(const char *text, const char *at, int *line, int *col)
{
	const char *p;

	*line = 1;
	*col = 1;
	for (p = text; p < at; p++) {
		if (*p == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)*p & 0xc0) != 0x80) {
			++*col;		/* count characters, not bytes */
		}
	}
}

int
ag_json_parse(struct agency *ag, const char *name, const char *text,
    size_t len, cJSON **out)
{
	const char *end = NULL;
	cJSON *doc;
	int line, col, truncated;

	doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (doc == NULL) {
		if (end == NULL || end > text + len)
			end = text + len;
		/* cJSON stops on the last byte when the text just ends. */
		truncated = end >= text + len - 1 && (end == text + len ||
		    strchr("}]", *end) == NULL);
		position(text, truncated ? text + len : end, &line, &col);
		return ag_fail(ag, AG_DATAERR, "%s:%d:%d: %s", name, line, col,
		    truncated ? "unexpected end of JSON" : "invalid JSON");
	}
	while (end < text + len && strchr(" \t\r\n", *end) && *end != '\0')
		end++;
	if (end < text + len && *end != '\0') {
		position(text, end, &line, &col);
		cJSON_Delete(doc);
		return ag_fail(ag, AG_DATAERR, "%s:%d:%d: unexpected data "
		    "after the document", name, line, col);
	}
	*out = doc;
	return AG_OK;
}

int
ag_json_check(struct agency *ag, const char *name, const char *text,
    size_t len)
{
	const char *p = text, *end = text + len, *stop;
	cJSON *v;
	int k = 0, line = 1;

	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
		    *p == '\n'))
			p++;
		if (p >= end && k > 0)
			return AG_OK;
		if (p >= end)
			return ag_json_parse(ag, name, text, len, &v);
		v = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &stop, 0);
		if (v == NULL) {
			if (k == 0)
				return ag_json_parse(ag, name, text, len, &v);
			for (stop = text; stop < p; stop++)
				line += *stop == '\n';
			return ag_fail(ag, AG_DATAERR, "%s:%d: invalid JSON "
			    "after document %d", name, line, k);
		}
		cJSON_Delete(v);
		k++;
		p = stop;
	}
}

int
ag_doc_check(struct agency *ag, const char *name, const cJSON *doc,
    const char *kinds)
{
	struct jpath jp;
	const char *kind = NULL;
	long long version;
	int rc;

	jpath_init(&jp, name);
	if (!cJSON_IsObject(doc))
		return jpath_fail(ag, &jp, "expected an object (a document "
		    "with \"kind\" and \"version\")");
	if ((rc = jget_string(ag, &jp, doc, "kind", J_REQUIRED, &kind)) != 0)
		return rc;
	if ((kinds != NULL && !ag_in_list(kinds, kind)) ||
	    (kinds == NULL && !ag_starts_with(kind, "agency."))) {
		jpath_key(&jp, "kind");
		return jpath_fail(ag, &jp, "expected %s%s, found '%s'",
		    kinds ? "" : "an agency.* kind", kinds ? kinds : "", kind);
	}
	if ((rc = jget_int(ag, &jp, doc, "version", J_REQUIRED,
	    &version)) != 0)
		return rc;
	if (version < 1 || version > AG_DOC_VERSION) {
		jpath_key(&jp, "version");
		return jpath_fail(ag, &jp, "version %lld is not supported "
		    "(this program reads %d)", version, AG_DOC_VERSION);
	}
	return AG_OK;
}

int
ag_doc_read(struct agency *ag, const char *path, const char *kinds,
    cJSON **out)
{
	struct buf text = BUF_INIT;
	const char *name = ag_doc_name(path);
	cJSON *doc = NULL;
	int rc;

	if (path == NULL)
		path = "-";
	if (strcmp(path, "-") == 0 && isatty(STDIN_FILENO))
		return ag_fail(ag, AG_NOINPUT, "no input: name a file or pipe "
		    "a document into stdin");
	if ((rc = ag_read_file(ag, path, MAXDOC, &text)) != AG_OK)
		return rc;
	if (text.len == 0)
		rc = ag_fail(ag, AG_DATAERR, "%s: empty input, expected a "
		    "document", name);
	else
		rc = ag_json_parse(ag, name, text.data, text.len, &doc);
	buf_release(&text);
	if (rc == AG_OK && (rc = ag_doc_check(ag, name, doc, kinds)) != AG_OK)
		cJSON_Delete(doc);
	else if (rc == AG_OK)
		*out = doc;
	return rc;
}

int
ag_emit(struct agency *ag, const cJSON *doc)
{
	char *s;
	int pretty = !ag->json && isatty(STDOUT_FILENO);

	s = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
	if (s == NULL)
		ag_oom();
	fputs(s, stdout);
	putchar('\n');
	cJSON_free(s);
	if (ferror(stdout))
		return ag_fail(ag, AG_IOERR, "cannot write to stdout:");
	return AG_OK;
}

int
ag_emit_all(struct agency *ag, const cJSON *docs)
{
	const cJSON *d;
	int rc = AG_OK;

	cJSON_ArrayForEach(d, docs)
		if (rc == AG_OK)
			rc = ag_emit(ag, d);
	return rc;
}

int
ag_doc_write(struct agency *ag, const char *path, const cJSON *doc)
{
	char *s = cJSON_PrintUnformatted(doc);
	struct buf b = BUF_INIT;
	int rc;

	if (s == NULL)
		ag_oom();
	buf_addstr(&b, s);
	buf_addch(&b, '\n');
	cJSON_free(s);
	rc = ag_write_file(ag, path, b.data, b.len, 0644);
	buf_release(&b);
	return rc;
}

void
jpath_init(struct jpath *jp, const char *file)
{
	jp->file = file;
	jp->path[0] = '$';
	jp->path[1] = '\0';
	jp->len = 1;
}

size_t
jpath_key(struct jpath *jp, const char *key)
{
	size_t mark = jp->len;
	int n;

	n = snprintf(jp->path + jp->len, sizeof(jp->path) - jp->len, ".%s",
	    key);
	if (n > 0)
		jp->len += (size_t)n;
	if (jp->len >= sizeof(jp->path))
		jp->len = sizeof(jp->path) - 1;
	return mark;
}

size_t
jpath_index(struct jpath *jp, size_t i)
{
	size_t mark = jp->len;
	int n;

	n = snprintf(jp->path + jp->len, sizeof(jp->path) - jp->len, "[%zu]",
	    i);
	if (n > 0)
		jp->len += (size_t)n;
	if (jp->len >= sizeof(jp->path))
		jp->len = sizeof(jp->path) - 1;
	return mark;
}

void
jpath_pop(struct jpath *jp, size_t mark)
{
	jp->len = mark;
	jp->path[mark] = '\0';
}

int
jpath_fail(struct agency *ag, struct jpath *jp, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ag_fail(ag, AG_DATAERR, "%s: %s: %s", jp->file, jp->path, msg);
}

/* Find key in obj: AG_OK with *item (or NULL when optional and absent). */
static int
member(struct agency *ag, struct jpath *jp, const cJSON *obj, const char *key,
    int required, const char *what, const cJSON **item)
{
	size_t mark;

	*item = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (*item != NULL && !cJSON_IsNull(*item))
		return AG_OK;
	*item = NULL;
	if (!required)
		return AG_OK;
	mark = jpath_key(jp, key);
	jpath_fail(ag, jp, "missing, expected %s", what);
	jpath_pop(jp, mark);
	return AG_DATAERR;
}

static int
wrong(struct agency *ag, struct jpath *jp, const char *key, const char *what)
{
	size_t mark = jpath_key(jp, key);

	jpath_fail(ag, jp, "expected %s", what);
	jpath_pop(jp, mark);
	return AG_DATAERR;
}

int
jget_string(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, const char **out)
{
	const cJSON *it;
	int rc;

	if ((rc = member(ag, jp, obj, key, required, "a string", &it)) != 0 ||
	    it == NULL)
		return rc;
	if (!cJSON_IsString(it))
		return wrong(ag, jp, key, "a string");
	*out = it->valuestring;
	return AG_OK;
}

int
jget_number(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, double *out)
{
	const cJSON *it;
	int rc;

	if ((rc = member(ag, jp, obj, key, required, "a number", &it)) != 0 ||
	    it == NULL)
		return rc;
	if (!cJSON_IsNumber(it))
		return wrong(ag, jp, key, "a number");
	*out = it->valuedouble;
	return AG_OK;
}

int
jget_int(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, long long *out)
{
	const cJSON *it;
	double d;
	int rc;

	if ((rc = member(ag, jp, obj, key, required, "a whole number",
	    &it)) != 0 || it == NULL)
		return rc;
	d = it->valuedouble;
	if (!cJSON_IsNumber(it) || d != floor(d) || fabs(d) > 9.0e15)
		return wrong(ag, jp, key, "a whole number");
	*out = (long long)d;
	return AG_OK;
}

int
jget_bool(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, int *out)
{
	const cJSON *it;
	int rc;

	if ((rc = member(ag, jp, obj, key, required, "true or false",
	    &it)) != 0 || it == NULL)
		return rc;
	if (!cJSON_IsBool(it))
		return wrong(ag, jp, key, "true or false");
	*out = cJSON_IsTrue(it);
	return AG_OK;
}

int
jget_array(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, const cJSON **out)
{
	const cJSON *it;
	int rc;

	if ((rc = member(ag, jp, obj, key, required, "an array", &it)) != 0 ||
	    it == NULL)
		return rc;
	if (!cJSON_IsArray(it))
		return wrong(ag, jp, key, "an array");
	*out = it;
	return AG_OK;
}

int
jget_object(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, const cJSON **out)
{
	const cJSON *it;
	int rc;

	if ((rc = member(ag, jp, obj, key, required, "an object", &it)) != 0 ||
	    it == NULL)
		return rc;
	if (!cJSON_IsObject(it))
		return wrong(ag, jp, key, "an object");
	*out = it;
	return AG_OK;
}

const char *
ag_jstr(const cJSON *obj, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj,
	    key));
}

double
ag_jnum(const cJSON *obj, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

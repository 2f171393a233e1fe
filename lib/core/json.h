/*
 * json.h - documents: JSON objects with "kind" and "version".
 *
 * cJSON ownership, once: cJSON_AddItemTo*() steals the item,
 * cJSON_GetObjectItem*() borrows, cJSON_Print*() returns a string to
 * free with cJSON_free(), cJSON_Delete() frees a tree and is NULL-safe.
 * Documents returned through an out-parameter belong to the caller.
 *
 * Errors about a document name the file and the JSON path:
 *	script.json: $.scenes[2].narration: expected a string
 * Reading "-" (or NULL) reads stdin, called "<stdin>" in messages, and
 * refuses a terminal rather than wait for typing that never comes.
 */
#ifndef AG_JSON_H
#define AG_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

struct agency;

#define AG_DOC_VERSION 1		/* the newest version we write */

/* A new document {"kind": kind, "version": 1}. */
cJSON *ag_doc_new(const char *kind);

/*
 * ag_doc_read() - read one document from path and check its kind (one
 * of a comma-separated list, or any agency.* kind when kinds is NULL)
 * and version.  Exit codes: AG_NOINPUT (missing file, terminal stdin),
 * AG_DATAERR (not JSON, wrong kind, newer version).
 */
int ag_doc_read(struct agency *ag, const char *path, const char *kinds,
    cJSON **out);
/* Parse text named name; errors give name:line:column. */
int ag_json_parse(struct agency *ag, const char *name, const char *text,
    size_t len, cJSON **out);
/*
 * ag_json_check() - is text one or more JSON values, one after another
 * (a document, or NDJSON)?  Errors name name:line:column for the first
 * value, name:line after that.  Blank text is not JSON.
 */
int ag_json_check(struct agency *ag, const char *name, const char *text,
    size_t len);
/* Check kind and version of a parsed document. */
int ag_doc_check(struct agency *ag, const char *name, const cJSON *doc,
    const char *kinds);
/* The display name for a path ("<stdin>" for "-" or NULL). */
const char *ag_doc_name(const char *path);

/*
 * ag_emit() - print a document as one line on stdout (NDJSON), or
 * indented when stdout is a terminal and --json was not given.
 */
int ag_emit(struct agency *ag, const cJSON *doc);
/* ag_emit() each document of an array; the first failure stops. */
int ag_emit_all(struct agency *ag, const cJSON *docs);
/* Write a document to a file atomically (compact, with a newline). */
int ag_doc_write(struct agency *ag, const char *path, const cJSON *doc);

/*
 * Checked access.  A struct jpath tracks where we are in a document for
 * error messages; push a key or an index on the way down, pop on the way
 * back.  Each jget_*() returns AG_OK, or AG_DATAERR with the message
 * "file: $.path: expected a T" (or "missing, expected a T").  When the
 * member is absent and not required it returns AG_OK and leaves *out.
 */
struct jpath {
	const char *file;
	char path[256];
	size_t len;
};

void jpath_init(struct jpath *jp, const char *file);
size_t jpath_key(struct jpath *jp, const char *key);
size_t jpath_index(struct jpath *jp, size_t i);
void jpath_pop(struct jpath *jp, size_t mark);
/* Record "file: $.path: msg" for the current place. */
int jpath_fail(struct agency *ag, struct jpath *jp, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

enum { J_OPTIONAL = 0, J_REQUIRED = 1 };

int jget_string(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, const char **out);
int jget_number(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, double *out);
int jget_int(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, long long *out);
int jget_bool(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, int *out);
int jget_array(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, const cJSON **out);
int jget_object(struct agency *ag, struct jpath *jp, const cJSON *obj,
    const char *key, int required, const cJSON **out);

/* Unchecked reads, for documents we made: a string member (NULL when
 * absent or not a string) and a number member (def likewise). */
const char *ag_jstr(const cJSON *obj, const char *key);
double ag_jnum(const cJSON *obj, const char *key, double def);

#endif

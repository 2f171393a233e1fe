/*
 * yamltree.h - YAML (libyaml) as a small tree that remembers where each
 * node is in the text, so config errors can name file:line:column and
 * "agency config set" can edit a file in place without losing its
 * comments or layout.
 *
 * Only what a config file needs: one document, mappings with string
 * keys, sequences, scalars.  Every scalar is kept as text (typing is the
 * config layer's job).  Aliases, complex keys, duplicate keys and more
 * than one document are errors.
 *
 * Ownership: ytree_parse() returns a tree the caller frees with
 * ytree_free(); nodes found with ytree_get() are borrowed from it.
 */
#ifndef AG_YAMLTREE_H
#define AG_YAMLTREE_H

#include <stddef.h>

struct buf;

enum ynode_kind { YN_SCALAR, YN_MAP, YN_SEQ };

struct ynode {
	enum ynode_kind kind;
	char *key;			/* in a mapping: its key, else NULL */
	char *value;			/* YN_SCALAR: the text */
	int line, col;			/* 1-based: of the key, else the node */
	int vline, vcol;		/* 1-based: of the value */
	int indent;			/* 0-based column of the key */
	int flow;			/* {…} or […] */
	size_t start, end;		/* byte range of the value */
	size_t last;			/* end of the last scalar inside */
	struct ynode **kids;
	size_t nkids;
};

struct yerror {
	int line, col;			/* 1-based; 0 if unknown */
	char msg[256];
};

int ytree_parse(const char *text, size_t len, struct ynode **out,
    struct yerror *err);
void ytree_free(struct ynode *n);
/* The child of a mapping called key, or NULL. */
struct ynode *ytree_child(const struct ynode *map, const char *key);
/* Walk a dotted path ("store.path") from root; NULL if absent. */
struct ynode *ytree_get(const struct ynode *root, const char *path);

/*
 * ytree_set() - the text of a YAML document with path set to value,
 * written to out.  An existing scalar or sequence is replaced in place;
 * missing mappings are added at the end of the nearest existing one with
 * its indentation (or inside its braces when it is a flow mapping).
 * is_list makes value, a comma-separated list, a flow sequence.
 * Returns 0, or -1 with err filled when the text does not parse or a
 * part of the path is not a mapping.
 */
int ytree_set(const char *text, size_t len, const char *path,
    const char *value, int is_list, struct buf *out, struct yerror *err);

/* Append value to out as a YAML scalar, quoted only when it must be. */
void ytree_scalar(struct buf *out, const char *value);

#endif

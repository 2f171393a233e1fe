/* t-yamltree - YAML with positions, and edits that keep the file. */
#include "tap.h"
#include "core/yamltree.h"

static void
edit(const char *in, const char *key, const char *value, int list,
    const char *want, const char *what)
{
	struct buf out = BUF_INIT;
	struct yerror err;
	int rc = ytree_set(in, strlen(in), key, value, list, &out, &err);

	if (rc != 0)
		printf("# error %d:%d %s\n", err.line, err.col, err.msg);
	is_str(rc == 0 ? out.data : NULL, want, "%s", what);
	buf_release(&out);
}

static void
bad(const char *in, int line, int col, const char *what)
{
	struct ynode *root = NULL;
	struct yerror err;
	int rc = ytree_parse(in, strlen(in), &root, &err);

	ok(rc == -1 && err.line == line && err.col == col, "%s (%d:%d: %s)",
	    what, err.line, err.col, err.msg);
	ytree_free(root);
}

int
main(void)
{
	const char *doc = "# comment\nhttp:\n  timeout: 12\n  retries: 2\n"
	    "list: [a, b]\nname: \"quoted\"\n";
	struct ynode *root, *n;
	struct yerror err;
	struct buf out = BUF_INIT;

	ok(ytree_parse(doc, strlen(doc), &root, &err) == 0, "parses");
	n = ytree_get(root, "http.retries");
	ok(n && n->kind == YN_SCALAR && strcmp(n->value, "2") == 0,
	    "dotted lookup finds a scalar");
	ok(n && n->line == 4 && n->col == 3 && n->vcol == 12,
	    "with the key's line and column");
	n = ytree_get(root, "list");
	ok(n && n->kind == YN_SEQ && n->nkids == 2, "flow sequences");
	is_str(ytree_get(root, "name")->value, "quoted", "quoted scalars");
	ok(ytree_get(root, "http.nope") == NULL, "absent keys are NULL");
	ytree_free(root);

	bad("a: [\n", 2, 1, "an unclosed sequence");
	bad("a: b\n  c: d\n", 2, 4, "a misplaced mapping value");
	bad("a: 1\na: 2\n", 2, 1, "duplicate keys");
	bad("a: &x 1\nb: *x\n", 2, 4, "aliases");
	bad("- 1\n- 2\n", 1, 1, "a sequence at the top");
	bad("a: 1\n---\nb: 2\n", 2, 1, "two documents");
	ok(ytree_parse("", 0, &root, &err) == 0 && root->kind == YN_MAP &&
	    root->nkids == 0, "an empty file is an empty mapping");
	ytree_free(root);

	edit(doc, "http.timeout", "30", 0,
	    "# comment\nhttp:\n  timeout: 30\n  retries: 2\n"
	    "list: [a, b]\nname: \"quoted\"\n",
	    "replacing a value keeps comments and layout");
	edit(doc, "http.max_wait", "9", 0,
	    "# comment\nhttp:\n  timeout: 12\n  retries: 2\n  max_wait: 9\n"
	    "list: [a, b]\nname: \"quoted\"\n",
	    "a new key goes at the end of its section");
	edit(doc, "store.path", "/x y/db", 0,
	    "# comment\nhttp:\n  timeout: 12\n  retries: 2\n"
	    "list: [a, b]\nname: \"quoted\"\nstore:\n  path: /x y/db\n",
	    "a new section is created");
	edit(doc, "list", "c,d", 1,
	    "# comment\nhttp:\n  timeout: 12\n  retries: 2\n"
	    "list: [c, d]\nname: \"quoted\"\n", "lists replace lists");
	edit(doc, "name", "a: b # c", 0,
	    "# comment\nhttp:\n  timeout: 12\n  retries: 2\n"
	    "list: [a, b]\nname: \"a: b # c\"\n",
	    "values that need quotes get them");
	edit("a:\n  b: 1  # note\n# end\n", "a.c", "2", 0,
	    "a:\n  b: 1  # note\n  c: 2\n# end\n",
	    "a trailing comment stays on its line");
	edit("", "a.b", "1", 0, "a:\n  b: 1\n", "an empty file");
	edit("x: 1", "y", "2", 0, "x: 1\ny: 2\n",
	    "a file without a final newline");
	edit("p: {g: {u: 1}}\n", "p.o.u", "2", 0,
	    "p: {g: {u: 1}, o: {u: 2}}\n", "inside a flow mapping");
	edit("s:\n", "s.path", "x", 0, "s:\n  path: x\n",
	    "under an empty key");
	ok(ytree_set("a: 1\n", 5, "a.b", "2", 0, &out, &err) == -1 &&
	    strstr(err.msg, "not a section") != NULL,
	    "a value is not a section");
	buf_release(&out);
	ok(ytree_set("a:\n  b: 1\n", 10, "a", "2", 0, &out, &err) == -1 &&
	    strstr(err.msg, "a section") != NULL,
	    "a section is not a value");
	buf_release(&out);
	return done_testing();
}

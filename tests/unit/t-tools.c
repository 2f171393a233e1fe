/* t-tools - finding agency-NAME tools: plugins.path before PATH. */
#include <sys/stat.h>

#include "tap.h"

static void
tool(const char *dir, const char *name, int mode)
{
	char path[512];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/agency-%s", dir, name);
	fp = fopen(path, "w");
	fputs("#!/bin/sh\n", fp);
	fclose(fp);
	chmod(path, mode);
}

int
main(void)
{
	struct agency ag;
	char a[300], b[300], want[400], env[700], **names;
	const char *dir = tap_tmpdir();
	size_t n, i;
	char *p;
	int hello = 0, both = 0;

	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	mkdir(a, 0700);
	mkdir(b, 0700);
	tool(a, "both", 0755);
	tool(b, "both", 0755);
	tool(b, "hello", 0755);
	tool(a, "hidden", 0644);		/* not executable */
	tool(a, "bad name", 0755);		/* not a tool name */
	setenv("AGENCY_PLUGIN_PATH", a, 1);
	snprintf(env, sizeof(env), "%s:/usr/bin:/bin", b);
	setenv("PATH", env, 1);
	tap_agency(&ag, "t-tools");

	ok(ag_tool_name_ok("produce") && ag_tool_name_ok("my-tool_2.sh"),
	    "plain names are tool names");
	ok(!ag_tool_name_ok("../sh") && !ag_tool_name_ok("-x") &&
	    !ag_tool_name_ok("") && !ag_tool_name_ok("a b") &&
	    !ag_tool_name_ok(NULL), "paths, options and blanks are not");
	p = ag_tool_find(&ag, "both");
	snprintf(want, sizeof(want), "%s/agency-both", a);
	is_str(p, want, "plugins.path comes before PATH");
	free(p);
	p = ag_tool_find(&ag, "hello");
	snprintf(want, sizeof(want), "%s/agency-hello", b);
	is_str(p, want, "PATH is searched");
	free(p);
	ok(ag_tool_find(&ag, "hidden") == NULL, "a file that is not "
	    "executable is not a tool");
	ok(ag_tool_find(&ag, "nope") == NULL, "a missing tool is NULL");
	ok(ag_tool_find(&ag, "../b/agency-hello") == NULL, "a name never "
	    "reaches outside the folders");

	ag_tool_list(&ag, &names, &n);
	for (i = 0; i < n; i++) {
		hello += strcmp(names[i], "hello") == 0;
		both += strcmp(names[i], "both") == 0;
		ok(i == 0 || strcmp(names[i - 1], names[i]) < 0,
		    "the list is sorted and has no duplicates (%s)", names[i]);
	}
	ok(hello == 1 && both == 1, "the list has each tool once");
	ag_tool_list_free(names, n);
	ag_release(&ag);
	return done_testing();
}

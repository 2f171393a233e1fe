/*
 * agency - the front: "agency X ARGS..." runs agency-X, git-style.
 *
 * Tools are looked for beside this executable, then in plugins.path,
 * then on PATH (lib/core/tools.c); any executable called agency-NAME is
 * a tool, which is how plugins work.  "agency config" is built in.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

static const struct ag_option no_options[] = {
	AG_OPT_END
};

/* One line for the tools we ship; anything else found is a plugin. */
static const struct {
	const char *name, *summary;
} known[] = {
	{ "compose", "generate a music bed of exact length" },
	{ "produce", "plan and render a narrated, captioned video" },
	{ "queue", "durable job queue and its runner" },
	{ "schedule", "content calendar with an exactly-once tick" },
	{ "script", "write a short-video script with an LLM" },
	{ "upload", "publish to platforms, resumable, never twice" },
};

static const char *
summary_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i].name, name) == 0)
			return known[i].summary;
	return "plugin";
}

/*
 * Pass the shared options given before the command (-q, -v, --config,
 * --json, --progress) on to the tool through the environment, which
 * plugins may ignore, rather than as arguments they might refuse.
 */
static void
export_context(struct agency *ag)
{
	static const char *const levels[] = { "error", "warn", "info",
	    "debug", "trace" };
	static const char *const modes[] = { "auto", "none", "json" };

	setenv("AGENCY_LOG", levels[ag->loglevel], 1);
	setenv("AGENCY_CONFIG", config_path(ag), 1);
	setenv("AGENCY_PROGRESS", modes[ag->progress], 1);
	if (ag->json)
		setenv("AGENCY_JSON", "1", 1);
}

static int
run_tool(struct agency *ag, int argc, char **argv)
{
	char *path = ag_tool_find(ag, argv[0]);

	(void)argc;
	if (path == NULL)
		return ag_fail(ag, AG_USAGE, "'%s' is not an agency command; "
		    "see 'agency --help'", argv[0]);
	export_context(ag);
	fflush(stdout);
	argv[0] = path;
	execv(path, argv);
	return ag_fail(ag, AG_OSERR, "cannot run '%s':", path);
}

/* agency config ... */

static int
config_path_cmd(struct agency *ag, int argc, char **argv)
{
	argc = ag_parse_options(ag, argc, argv, no_options, "");
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	printf("%s\n", config_path(ag));
	return AG_OK;
}

static int
config_get_cmd(struct agency *ag, int argc, char **argv)
{
	const struct config_key *k;
	struct ag_strv items;
	const char *v;
	size_t i;
	char sug[256];

	argc = ag_parse_options(ag, argc, argv, no_options, "KEY");
	if (argc != 1)
		ag_usage_error(ag, "expected one KEY");
	if ((k = config_lookup_key(argv[0])) == NULL) {
		if (config_suggest(argv[0], sug, sizeof(sug)) != NULL)
			return ag_fail(ag, AG_CONFIG, "unknown key '%s' (did "
			    "you mean '%s'?)", argv[0], sug);
		return ag_fail(ag, AG_CONFIG, "unknown key '%s'", argv[0]);
	}
	if (k->type == CFG_SECTION)
		return ag_fail(ag, AG_CONFIG, "'%s' is a section; try "
		    "'agency config list'", argv[0]);
	if (k->type == CFG_LIST) {
		config_list(ag, argv[0], &items);
		for (i = 0; i < items.n; i++)
			printf("%s\n", items.v[i]);
		v = items.n ? "" : NULL;
		ag_strv_release(&items);
	} else if ((v = config_str(ag, argv[0])) != NULL) {
		printf("%s\n", v);
	}
	return v != NULL ? AG_OK : AG_FALSE;	/* unset: exit 1, like git */
}

static int
config_set_cmd(struct agency *ag, int argc, char **argv)
{
	/* Stop at KEY: a VALUE may start with '-' (music.loudness -23). */
	argc = ag_parse_options_flags(ag, argc, argv, no_options, "KEY VALUE",
	    AG_PARSE_STOP);
	if (argc != 2)
		ag_usage_error(ag, "expected KEY and VALUE");
	return config_set(ag, argv[0], argv[1]);
}

static int
config_list_cmd(struct agency *ag, int argc, char **argv)
{
	const struct config_key *k;
	const char *v;
	cJSON *row;
	int table = !ag->json && isatty(STDOUT_FILENO), rc = AG_OK;

	argc = ag_parse_options(ag, argc, argv, no_options, "");
	if (argc != 0)
		ag_usage_error(ag, "too many arguments");
	for (k = config_keys; k->name != NULL && rc == AG_OK; k++) {
		if (k->type == CFG_SECTION || strchr(k->name, '*') != NULL)
			continue;
		v = config_str(ag, k->name);
		if (table) {
			printf("%-28s %-40s %s\n", k->name, v ? v : "-",
			    config_origin_name(config_origin(ag, k->name)));
			continue;
		}
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "key", k->name);
		cJSON_AddItemToObject(row, "value", v ? cJSON_CreateString(v) :
		    cJSON_CreateNull());
		cJSON_AddStringToObject(row, "origin",
		    config_origin_name(config_origin(ag, k->name)));
		rc = ag_emit(ag, row);
		cJSON_Delete(row);
	}
	return rc;
}

static const struct ag_command config_cmds[] = {
	{ "get", config_get_cmd, "print the value of a key" },
	{ "list", config_list_cmd, "every key with its value and origin" },
	{ "path", config_path_cmd, "print the path of the config file" },
	{ "set", config_set_cmd, "write a key into the config file" },
	{ NULL, NULL, NULL }
};

static int
config_cmd(struct agency *ag, int argc, char **argv)
{
	return ag_run_command(ag, argc, argv, no_options,
	    "[options] COMMAND [ARG...]", config_cmds);
}

int
main(int argc, char *argv[])
{
	struct agency ag;
	struct ag_command *cmds;
	char **found;
	size_t i, n, nfound;
	int rc;

	ag_init(&ag, argc, argv);
	ag_tool_list(&ag, &found, &nfound);
	cmds = xcalloc(nfound + 2, sizeof(*cmds));
	cmds[0].name = "config";
	cmds[0].fn = config_cmd;
	cmds[0].summary = "get and set configuration";
	for (i = 0, n = 1; i < nfound; i++) {
		cmds[n].name = found[i];
		cmds[n].fn = run_tool;
		cmds[n++].summary = summary_of(found[i]);
	}
	rc = ag_run_command(&ag, argc, argv, no_options,
	    "[options] COMMAND [ARG...]", cmds);
	ag_tool_list_free(found, nfound);
	free(cmds);
	return ag_finish(&ag, rc);
}

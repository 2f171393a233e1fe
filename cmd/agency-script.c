/*
 * agency-script - write a short-video script with a chain of LLM
 * providers that falls back; or content ideas; or list templates and
 * the call log.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agency.h"

static struct script_params p;
static int dry_run, logging = -1;

static const struct ag_option options[] = {
	AG_OPT_STRING('a', "audience", "text", &p.audience,
	    "who the video is for"),
	AG_OPT_STRING('b', "brief", "file", &p.brief,
	    "the brief: markdown, text or YAML ('-': stdin)"),
	AG_OPT_BOOL(0, "cache", &p.cache,
	    "answer identical requests from the cache"),
	AG_OPT_DOUBLE('d', "duration", "seconds", &p.duration,
	    "target length of the video"),
	AG_OPT_BOOL(0, "dry-run", &dry_run,
	    "print the requests that would be sent, keys hidden"),
	AG_OPT_STRING('l', "language", "code", &p.language,
	    "language of the narration (en, de, ...)"),
	AG_OPT_BOOL(0, "log", &logging,
	    "log the calls in the store (--no-log: do not)"),
	AG_OPT_STRING('m', "model", "name", &p.model,
	    "the model of the first provider"),
	AG_OPT_INT('n', "n", "count", &p.n, 1, 100,
	    "write count variants, one document a line"),
	AG_OPT_LIST('p', "platforms", "list", &p.platforms,
	    "platforms to write captions for (youtube,tiktok,...)"),
	AG_OPT_STRING('P', "provider", "name", &p.provider,
	    "use this provider only"),
	AG_OPT_BOOL(0, "stream", &p.stream,
	    "show the answer on stderr as it arrives"),
	AG_OPT_STRING('T', "template", "name", &p.template,
	    "the prompt template"),
	AG_OPT_STRING(0, "tone", "text", &p.tone, "the tone of voice"),
	AG_OPT_STRING('t', "topic", "text", &p.topic,
	    "what the video is about"),
	AG_OPT_END
};

static const struct ag_option idea_options[] = {
	AG_OPT_STRING('a', "audience", "text", &p.audience,
	    "who the videos are for"),
	AG_OPT_BOOL(0, "cache", &p.cache,
	    "answer identical requests from the cache"),
	AG_OPT_INT('c', "count", "n", &p.count, 1, 100,
	    "how many ideas (10)"),
	AG_OPT_BOOL(0, "dry-run", &dry_run,
	    "print the requests that would be sent, keys hidden"),
	AG_OPT_STRING('l', "language", "code", &p.language,
	    "language of the ideas"),
	AG_OPT_BOOL(0, "log", &logging,
	    "log the calls in the store (--no-log: do not)"),
	AG_OPT_STRING('m', "model", "name", &p.model,
	    "the model of the first provider"),
	AG_OPT_STRING(0, "niche", "text", &p.niche,
	    "the niche to find topics in"),
	AG_OPT_LIST('p', "platforms", "list", &p.platforms,
	    "platforms to choose from"),
	AG_OPT_STRING('P', "provider", "name", &p.provider,
	    "use this provider only"),
	AG_OPT_STRING('T', "template", "name", &p.template,
	    "the prompt template (ideas)"),
	AG_OPT_STRING(0, "tone", "text", &p.tone, "the tone of voice"),
	AG_OPT_END
};

static long long log_n = 20;

static const struct ag_option log_options[] = {
	AG_OPT_INT('n', "number", "n", &log_n, 1, 1000000,
	    "show the last n calls (20)"),
	AG_OPT_END
};

static const struct ag_option no_options[] = {
	AG_OPT_END
};

static int
dry(struct agency *ag, int ideas)
{
	struct buf out = BUF_INIT;
	int rc;

	if ((rc = script_dry_run(ag, &p, ideas, &out)) == AG_OK)
		fputs(buf_str(&out), stdout);
	buf_release(&out);
	return rc;
}

static int
ideas_cmd(struct agency *ag, int argc, char **argv)
{
	cJSON *arr = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, idea_options,
	    "ideas --niche text [-c n] [-p list] [-P name] [--dry-run]");
	if (argc != 0)
		ag_usage_error(ag, "unexpected argument '%s'", argv[0]);
	p.no_log = logging == 0;
	if (dry_run)
		return dry(ag, 1);
	rc = ideas_write(ag, &p, &arr);
	if (rc == AG_OK)
		rc = ag_emit_all(ag, arr);
	cJSON_Delete(arr);
	return rc;
}

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);

	return cJSON_IsString(v) ? v->valuestring : "-";
}

static double
num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItem(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int
log_cmd(struct agency *ag, int argc, char **argv)
{
	const cJSON *row;
	cJSON *arr = NULL;
	char when[AG_TIMEBUF];
	int rc;

	argc = ag_parse_options(ag, argc, argv, log_options, "log [-n n]");
	if (argc != 0)
		ag_usage_error(ag, "unexpected argument '%s'", argv[0]);
	if ((rc = script_log(ag, (int)log_n, &arr)) != AG_OK)
		return rc;
	if (ag->json || !isatty(STDOUT_FILENO)) {
		rc = ag_emit_all(ag, arr);
	} else {
		printf("%-6s %-20s %-8s %-24s %-12s %7s %7s %9s %7s\n", "ID",
		    "TIME", "PROVIDER", "MODEL", "OUTCOME", "IN", "OUT",
		    "COST", "MS");
		cJSON_ArrayForEach(row, arr) {
			ag_time_format((time_t)(num(row, "created_at") / 1000),
			    when);
			printf("%-6.0f %-20s %-8s %-24.24s %-12s %7.0f %7.0f "
			    "%9.6f %7.0f\n", num(row, "id"), when,
			    str(row, "provider"), str(row, "model"),
			    str(row, "outcome"), num(row, "tokens_in"),
			    num(row, "tokens_out"), num(row, "cost"),
			    num(row, "latency_ms"));
		}
	}
	cJSON_Delete(arr);
	return rc;
}

static int
templates_cmd(struct agency *ag, int argc, char **argv)
{
	const cJSON *t;
	cJSON *arr = NULL;
	int rc;

	argc = ag_parse_options(ag, argc, argv, no_options, "templates");
	if (argc != 0)
		ag_usage_error(ag, "unexpected argument '%s'", argv[0]);
	if ((rc = templates_list(ag, &arr)) != AG_OK)
		return rc;
	if (ag->json || !isatty(STDOUT_FILENO)) {
		rc = ag_emit_all(ag, arr);
	} else {
		cJSON_ArrayForEach(t, arr)
			printf("%-12s %-7s %-8s %s\n", str(t, "name"),
			    str(t, "schema"), str(t, "origin"),
			    str(t, "description"));
	}
	cJSON_Delete(arr);
	return rc;
}

static const struct ag_command commands[] = {
	{ "ideas", ideas_cmd, "content ideas for a niche, as NDJSON" },
	{ "log", log_cmd, "the last calls to language models" },
	{ "templates", templates_cmd, "the prompt templates" },
	{ NULL, NULL, NULL }
};

static int
script_main(struct agency *ag, int argc, char **argv)
{
	cJSON *arr = NULL;
	int rc, erc;

	argc = ag_parse_options(ag, argc, argv, options,
	    "[-t text | -b file] [-d seconds] [-l code] [-p list] "
	    "[-P name] [-n count] [--dry-run] [--stream]");
	if (argc != 0)
		ag_usage_error(ag, "unexpected argument '%s'", argv[0]);
	p.no_log = logging == 0;
	if (dry_run)
		return dry(ag, 0);
	rc = script_write(ag, &p, &arr);
	/* Variants already written are printed even after a failure. */
	erc = ag_emit_all(ag, arr);
	cJSON_Delete(arr);
	return rc != AG_OK ? rc : erc;
}

int
main(int argc, char *argv[])
{
	struct agency ag;
	int rc;

	script_params_init(&p);
	ag_init(&ag, argc, argv);
	rc = ag_run_main(&ag, argc, argv, commands, script_main);
	ag_strv_release(&p.platforms);
	return ag_finish(&ag, rc);
}

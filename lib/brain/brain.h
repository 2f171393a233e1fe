/*
 * brain.h - the LLM brain: short-video scripts and content ideas written
 * by a chain of language-model providers, with a real fallback.
 *
 * Providers (one file each behind the ops table of llm.h): gemini,
 * openai (any OpenAI-compatible chat completions endpoint: Groq, OpenAI,
 * OpenRouter, llama.cpp, vLLM), ollama, and offline, which needs no key
 * and no network and turns the brief into a script deterministically.
 * The chain tries the providers of script.order (or the one named by
 * --provider) in turn: each with its own retries, waits the provider
 * asks for (up to script.max_wait), repairs of invalid output and
 * cooldown across runs; see chain.c for the protocol.
 *
 * Ownership: documents returned through out-parameters belong to the
 * caller (cJSON_Delete); struct script_params is borrowed throughout.
 */
#ifndef AG_BRAIN_H
#define AG_BRAIN_H

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/opt.h"

struct agency;

/* What to write: the options of agency-script, all borrowed. */
struct script_params {
	const char *topic;		/* --topic */
	const char *brief;		/* --brief FILE ("-": stdin) */
	struct ag_strv platforms;	/* --platforms (items may hold commas) */
	double duration;		/* seconds; 0: brief or script.duration */
	const char *language;		/* NULL: brief or script.language */
	const char *tone, *audience;
	const char *template;		/* NULL: brief or script.template */
	const char *provider;		/* --provider: this one only */
	const char *model;		/* --model */
	long long n;			/* variants (1) */
	int stream;			/* show tokens on stderr */
	int no_log;			/* no llm_calls rows */
	int cache;			/* -1: script.cache, 0 no, 1 yes */
	const char *niche;		/* ideas: the niche */
	long long count;		/* ideas: how many */
};

void script_params_init(struct script_params *p);

/*
 * script_write() - write p->n scripts: *out is a new JSON array of
 * agency.script documents.  Exit codes: AG_NOINPUT (no brief, terminal
 * stdin, unreadable file), AG_DATAERR (a bad brief or template),
 * AG_USAGE (bad parameters), AG_CONFIG, AG_NOPERM (a credentials file
 * others can read), AG_UNAVAILABLE (every provider failed).
 */
int script_write(struct agency *ag, const struct script_params *p,
    cJSON **out);

/*
 * script_dry_run() - describe, without sending anything, the request
 * each provider of the chain would get (keys redacted), into out.
 */
int script_dry_run(struct agency *ag, const struct script_params *p,
    int ideas, struct buf *out);

/*
 * ideas_write() - p->count content ideas for p->niche: *out is a new
 * array of agency.idea documents {topic, angle, platform, hook}.
 */
int ideas_write(struct agency *ag, const struct script_params *p,
    cJSON **out);

/* The prompt templates, shipped and the user's: a new array. */
int templates_list(struct agency *ag, cJSON **out);

/* The last n calls to language models from the store: a new array. */
int script_log(struct agency *ag, int n, cJSON **out);

/*
 * script_check() - check an agency.script document as agency-formats(7)
 * defines it; errors name the file and the JSON path (AG_DATAERR).
 */
int script_check(struct agency *ag, const char *name, const cJSON *doc);

#endif

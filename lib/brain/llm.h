/*
 * llm.h - private to lib/brain: providers, requests and answers, the
 * chain, and the pieces the script and ideas writers share.
 *
 * A provider turns a struct llm_ask (system prompt, messages, the JSON
 * Schema wanted, sampling) into one HTTP request of its own wire format
 * and its answer into a struct llm_answer: the text, the tokens, and a
 * class that tells the chain what to do next (chain.c).  Strings in an
 * ask are borrowed; everything in an answer is owned by it
 * (llm_answer_release).
 */
#ifndef AG_BRAIN_LLM_H
#define AG_BRAIN_LLM_H

#include <stdint.h>

#include "agency.h"
#include "brain.h"

/* How strongly JSON is asked for; a provider steps down when refused. */
enum llm_fmt { FMT_PROMPT, FMT_JSON, FMT_SCHEMA };

/* What came back, as far as the chain is concerned. */
enum llm_class {
	LLM_OK,			/* text to parse */
	LLM_TRUNCATED,		/* MAX_TOKENS, length: ask for less */
	LLM_BLOCKED,		/* safety, refusal, content filter */
	LLM_RECITATION,		/* one rephrased retry, then move on */
	LLM_EMPTY,		/* STOP with no text: retry once */
	LLM_TRANSIENT,		/* 5xx, timeout, reset, error in a stream */
	LLM_CONNECT,		/* nothing listening, no such host */
	LLM_RATE,		/* 429 or overloaded; retry_after may say */
	LLM_QUOTA,		/* out of quota for the day or for good */
	LLM_AUTH,		/* bad or missing key, no permission */
	LLM_NOTFOUND,		/* no such model */
	LLM_CAPABILITY,		/* the response format was refused */
	LLM_FAILED_JSON,	/* Groq json_validate_failed: see failed */
	LLM_BADREQ		/* any other 4xx */
};

struct llm_msg {
	const char *role;		/* "user" or "assistant" */
	char *content;			/* owned by the message list */
};

struct llm_ask {
	const char *system;
	const struct llm_msg *msgs;
	size_t nmsgs;
	const cJSON *schema;		/* JSON Schema of the answer */
	const char *schema_name;
	int fmt;			/* enum llm_fmt to use */
	double temperature;
	long long max_tokens;
	long long seed;			/* -1: none */
	int stream;			/* streamed, echoed on stderr */
};

struct llm_answer {
	struct buf text;		/* the model's text */
	int cls;			/* enum llm_class */
	long status;			/* HTTP status, 0 if none */
	double retry_after;		/* seconds the provider asked; -1 */
	int per_day;			/* a quota that resets daily */
	char *error;			/* one line: why it failed */
	char *failed;			/* Groq's failed_generation */
	char *model;			/* the model that answered */
	int64_t tokens_in, tokens_out;
	char *request;			/* the body sent, for the log */
	struct buf raw;			/* what came back, for the log */
	int cached;			/* from the response cache */
};

void llm_answer_init(struct llm_answer *a);
void llm_answer_release(struct llm_answer *a);
/* Record a failure: class, and the message formatted (replacing). */
void llm_answer_fail(struct llm_answer *a, int cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct llm_provider;

/* An HTTP request built by a provider; every string is owned. */
struct llm_http {
	char *url;
	char *headers[6];		/* NULL-terminated */
	char *body;
};

void llm_http_release(struct llm_http *h);

struct llm_ops {
	const char *type;		/* gemini, openai, ollama, offline */
	int needs_key;
	/* Build the request for ask (no I/O). */
	void (*build)(const struct llm_provider *p, const struct llm_ask *a,
	    struct llm_http *out);
	/* Send ask and fill ans; AG_OK unless something local broke. */
	int (*call)(struct agency *ag, struct llm_provider *p,
	    const struct llm_ask *a, struct llm_answer *ans);
};

extern const struct llm_ops llm_gemini, llm_openai, llm_ollama,
    llm_offline;

struct llm_provider {
	char *name;
	const struct llm_ops *ops;
	char *base_url, *model;
	char *key;			/* NULL: none found */
	const char *key_source;		/* "GEMINI_API_KEY", "credentials" */
	double timeout, connect_timeout, idle_timeout;
	double price_in, price_out;	/* USD per million tokens */
	long long max_tokens;
	int fmt;			/* best format not refused yet */
	int explicit_url;		/* base_url set by the user */
	int checked;			/* ollama: the model is there */
	int key_tried;			/* llm_key_load() ran */
};

/* llm.c: the HTTP exchange every network provider shares. */
/*
 * llm_send() - send h with the provider's timeouts.  A transport
 * failure becomes ans->cls LLM_CONNECT or LLM_TRANSIENT; otherwise the
 * status and response are in resp for the provider to read.  on_line,
 * if set, receives a 2xx body line by line.
 */
int llm_send(struct agency *ag, const struct llm_provider *p,
    const struct llm_http *h, int (*on_line)(void *, const char *, size_t),
    void *arg, struct http_response *resp, struct llm_answer *ans);
/* The system prompt and messages as OpenAI and Ollama take them (new). */
cJSON *llm_messages(const struct llm_ask *a);
/* Print body (consumed) into h->body. */
void llm_set_body(struct llm_http *h, cJSON *body);
/* The class of an HTTP error status with no better information. */
int llm_status_class(long status);
/* "1h2m3.5s", "750ms", "36s", "7.66s": seconds, or -1. */
double llm_parse_duration(const char *s);
/* "... retry in 27.37s ..." / "try again in 5.289s": seconds, or -1. */
double llm_hint_in_text(const char *msg);
/* Echo a streamed piece of text on stderr (--stream). */
void llm_echo(const char *s, size_t n);
/* End the echoed text with a newline if it did not end with one. */
void llm_echo_end(void);
/* The URL base without a trailing slash (new string). */
char *llm_url(const char *base, const char *path);
const char *llm_class_name(int cls);

/* keys.c */
/*
 * llm_key_load() - find the provider's API key: its environment
 * variable, then $XDG_CONFIG_HOME/agency/credentials/NAME (refused,
 * AG_NOPERM, when group or others may read it), then key_cmd.  Leaves
 * p->key NULL when there is none.  Every key found is registered with
 * ag_secret_add().
 */
int llm_key_load(struct agency *ag, struct llm_provider *p);
/* The environment variable a provider's key is read from (or NULL). */
const char *llm_key_env(struct agency *ag, const char *name);

/* extract.c */
/*
 * llm_extract() - the JSON object in a model's text: BOM and white
 * space trimmed, code fences dropped, prose around the object skipped
 * (braces matched outside strings), trailing commas removed.  AG_OK
 * with a new object, or AG_DATAERR with the reason in ag->err.
 */
int llm_extract(struct agency *ag, const char *text, cJSON **out);

/* template.c */
struct template {
	char *name, *path, *origin;	/* origin: "user" or "shipped" */
	char *description, *system, *prompt, *schema;
	char **defkeys, **defvals;	/* defaults */
	size_t ndefs;
};

int template_load(struct agency *ag, const char *name, struct template **out);
void template_free(struct template *t);
/* A variable's default in the template, or NULL. */
const char *template_default(const struct template *t, const char *key);
/*
 * template_render() - text with each {{name}} replaced by the value of
 * name in vars (keys and values alternating, NULL-terminated); an
 * unknown name is an error naming the template.
 */
int template_render(struct agency *ag, const struct template *t,
    const char *text, const char *const *vars, char **out);

/* chain.c */
struct llm_chain {
	struct llm_provider **p;
	size_t np;
	char run_id[40];
	int forced;			/* --provider */
	int stream, log, cache;
	long long retries, repairs;
	double max_wait, deadline;
	double temperature;
	int64_t started;		/* ag_mono_ms() */
	const struct script_params *params;
};

/* The work one run of the chain does: a script, or a list of ideas. */
struct llm_job {
	const char *purpose;		/* "script", "ideas" */
	char *system, *prompt;		/* rendered from the template */
	cJSON *schema;			/* JSON Schema of the answer */
	const char *schema_name;
	long long seed;
	/*
	 * Accept an answer: fix what is safe to fix, then check.  AG_OK
	 * with *doc (a new document without meta); AG_DATAERR with one
	 * problem per line in problems, for a repair prompt.
	 */
	int (*accept)(struct agency *ag, void *arg, cJSON *answer,
	    struct buf *problems, cJSON **doc);
	/* The offline provider's answer (deterministic). */
	int (*offline)(struct agency *ag, void *arg, cJSON **doc);
	void *arg;
};

int llm_chain_init(struct agency *ag, const struct script_params *sp,
    struct llm_chain *ch);
void llm_chain_release(struct llm_chain *ch);
/* Free what a job holds (system, prompt, schema). */
void llm_job_release(struct llm_job *job);
/*
 * llm_chain_run() - run job through the providers in order.  AG_OK
 * with *doc, a new document with "provider", "model" and "meta" added;
 * AG_UNAVAILABLE when every provider failed (one line each was logged).
 */
int llm_chain_run(struct agency *ag, struct llm_chain *ch,
    struct llm_job *job, cJSON **doc);
/* Describe the requests of job for --dry-run. */
void llm_chain_describe(struct agency *ag, struct llm_chain *ch,
    struct llm_job *job, struct buf *out);

/* schema.c: the script, its limits and its checks. */
struct platform_limits {
	const char *name;
	size_t title, description;	/* characters */
	size_t tags;			/* most tags */
	size_t text;			/* title+description+hashtags; 0 none */
	int inline_tags;		/* hashtags go in the description */
};

const struct platform_limits *platform_find(const char *name);
/* The known platform names, comma-separated. */
const char *platform_names(void);
/* s cut to at most max characters at a word boundary, "…" added. */
char *text_fit(const char *s, size_t max);
/* A hashtag "#word" from any text, or NULL if nothing is left. */
char *hashtag_make(const char *s);

/* The JSON Schema of a script answer for these platforms (new). */
cJSON *script_answer_schema(const struct ag_strv *platforms);
/* The same schema in Gemini's responseSchema dialect (new). */
cJSON *schema_to_gemini(const cJSON *schema);
/* The schema as a few lines of prose for the prompt (new string). */
char *schema_describe(const cJSON *schema);

/* A resolved set of parameters: what the script is to be. */
struct script_spec {
	char *topic, *title, *body, *angle;
	char *language, *tone, *audience, *template;
	struct ag_strv platforms;	/* strings owned by plat_store */
	char **plat_store;
	double duration;
	int variant, nvariants;
};

void script_spec_release(struct script_spec *s);
/*
 * script_accept() - the local repair and check of a script answer:
 * numbers from strings, trimmed text, hashtags with '#', missing or
 * long captions made from the script, unknown members dropped; then
 * every remaining problem listed with its JSON path.
 */
int script_accept(struct agency *ag, const struct script_spec *s,
    cJSON *answer, struct buf *problems, cJSON **doc);
/* Captions for every platform of s from the script itself. */
void script_captions(const struct script_spec *s, cJSON *script);
/* Words per minute of narration in a language. */
double words_per_minute(const char *language);

/* ideas.c: --dry-run of "agency-script ideas". */
int ideas_describe(struct agency *ag, const struct script_params *p,
    struct buf *out);

/* brief.c */
/*
 * brief_read() - the brief of a script: --topic, --brief FILE or stdin
 * (markdown or plain text, YAML, markdown with YAML front matter, or an
 * agency.idea document), resolved with the flags over the brief over the
 * template defaults over the config into *s.
 */
int brief_read(struct agency *ag, const struct script_params *p,
    struct script_spec *s);

/* offline.c */
int offline_script(struct agency *ag, const struct script_spec *s,
    cJSON **doc);
int offline_ideas(struct agency *ag, const char *niche, long long count,
    const struct ag_strv *platforms, cJSON **doc);

#endif

/*
 * chain.c - the fallback chain.
 *
 * Protocol, per provider in order (script.order, or --provider alone):
 *  1. Skip it, saying so at -v, when it needs a key and has none, or
 *     when an earlier run put it in cooldown (llm_cooldown in the store)
 *     and the time has not come.
 *  2. Ask.  Classify the answer (llm.h enum llm_class) and act:
 *     - text: extract the JSON, repair locally, check (job->accept);
 *       still invalid: ask again with the problems listed, at most
 *       script.repairs times; then move on.  Groq's failed_generation
 *       goes through the same path.
 *     - truncated: ask again with a doubled token budget and a request
 *       for fewer, shorter scenes (counts as a repair); never close
 *       brackets by guesswork.
 *     - transient (5xx, timeout, reset, an error inside a stream) or
 *       rate-limited: wait what the provider asked (Retry-After,
 *       RetryInfo, x-ratelimit-reset-*, "retry in 5s") or back off with
 *       jitter, at most script.retries times; a wait longer than
 *       script.max_wait is not waited for: the provider cools down until
 *       then and the chain moves on.
 *     - out of quota: cool down until the quota resets (a daily quota:
 *       midnight Pacific time, when Google and Groq reset them), move on.
 *     - refused response format: step down json_schema -> json_object ->
 *       prompt only, and ask again (free).
 *     - auth, no such model, blocked content, other 4xx, nothing
 *       listening: move on at once, with a warning naming the provider
 *       when the user had configured it.
 *  3. Every request is one llm_calls row (redacted by the store), and
 *     one entry of the document's meta.attempts.
 * When every provider failed, each one's reason is printed on a line of
 * its own and the result is AG_UNAVAILABLE (exit 69).  The whole chain
 * is bounded by script.deadline.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llm.h"

#define MAXREPAIRTEXT (32u << 10)
#define MAXLOGTEXT (256u << 10)

static int
provider_new(struct agency *ag, const char *name, const char *model,
    struct llm_provider **out)
{
	struct llm_provider *p;
	const char *type, *v;
	char key[256];

	snprintf(key, sizeof(key), "providers.%s.type", name);
	if ((type = config_str(ag, key)) == NULL)
		type = strcmp(name, "gemini") == 0 ? "gemini" :
		    strcmp(name, "ollama") == 0 ? "ollama" :
		    strcmp(name, "offline") == 0 ? "offline" : "openai";
	p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(name);
	p->ops = strcmp(type, "gemini") == 0 ? &llm_gemini :
	    strcmp(type, "ollama") == 0 ? &llm_ollama :
	    strcmp(type, "offline") == 0 ? &llm_offline : &llm_openai;
	snprintf(key, sizeof(key), "providers.%s.base_url", name);
	v = config_str(ag, key);
	p->explicit_url = config_origin(ag, key) != CFG_FROM_DEFAULT;
	if (v != NULL && *v != '\0')
		p->base_url = strstr(v, "://") == NULL ?
		    xasprintf("http://%s", v) : xstrdup(v);
	else if (p->ops != &llm_offline) {
		free(p->name);
		free(p);
		return ag_fail(ag, AG_CONFIG, "provider '%s' has no base URL; "
		    "set providers.%s.base_url", name, name);
	}
	snprintf(key, sizeof(key), "providers.%s.model", name);
	v = model ? model : config_str(ag, key);
	p->model = xstrdup(v ? v : p->ops == &llm_offline ? "offline" :
	    "default");
#define NUM(field, k) do {						\
	snprintf(key, sizeof(key), "providers.%s." k, name);		\
	p->field = config_number(ag, key);				\
} while (0)
	NUM(timeout, "timeout");
	NUM(connect_timeout, "connect_timeout");
	NUM(idle_timeout, "idle_timeout");
	NUM(price_in, "price_in");
	NUM(price_out, "price_out");
#undef NUM
	snprintf(key, sizeof(key), "providers.%s.max_tokens", name);
	p->max_tokens = config_int(ag, key);
	if (p->max_tokens < 256)
		p->max_tokens = 256;
	p->fmt = FMT_SCHEMA;
	*out = p;
	return AG_OK;
}

static void
provider_free(struct llm_provider *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p->base_url);
	free(p->model);
	free(p->key);
	free(p);
}

int
llm_chain_init(struct agency *ag, const struct script_params *sp,
    struct llm_chain *ch)
{
	struct ag_strv order;
	struct llm_provider *p;
	size_t i, j;
	int rc = AG_OK;

	memset(ch, 0, sizeof(*ch));
	ch->params = sp;
	ch->started = ag_mono_ms();
	snprintf(ch->run_id, sizeof(ch->run_id), "r_%llx%05x",
	    (unsigned long long)ag_now_ms(), (unsigned)getpid() & 0xfffff);
	ch->stream = sp->stream;
	ch->log = !sp->no_log && config_bool(ag, "script.log");
	ch->cache = sp->cache >= 0 ? sp->cache : config_bool(ag,
	    "script.cache");
	ch->retries = config_int(ag, "script.retries");
	ch->repairs = config_int(ag, "script.repairs");
	ch->max_wait = config_number(ag, "script.max_wait");
	ch->deadline = config_number(ag, "script.deadline");
	ch->temperature = config_number(ag, "script.temperature");
	order.v = NULL;
	order.n = 0;
	if (sp->provider != NULL) {
		ch->forced = 1;
		ag_strv_push(&order, sp->provider);
	} else {
		config_list(ag, "script.order", &order);
	}
	if (order.n == 0)
		rc = ag_fail(ag, AG_CONFIG, "script.order names no provider");
	for (i = 0; rc == AG_OK && i < order.n; i++) {
		for (j = 0; j < ch->np; j++)
			if (strcmp(ch->p[j]->name, order.v[i]) == 0)
				break;
		if (j < ch->np)
			continue;
		if ((rc = provider_new(ag, order.v[i], i == 0 ? sp->model :
		    NULL, &p)) != AG_OK)
			break;
		ch->p = xreallocarray(ch->p, ch->np + 1, sizeof(*ch->p));
		ch->p[ch->np++] = p;
	}
	ag_strv_release(&order);
	if (rc != AG_OK)
		llm_chain_release(ch);
	return rc;
}

void
llm_job_release(struct llm_job *job)
{
	free(job->system);
	free(job->prompt);
	cJSON_Delete(job->schema);
	memset(job, 0, sizeof(*job));
}

/* The ask a provider gets first for job. */
static void
ask_init(const struct llm_chain *ch, const struct llm_job *job,
    const struct llm_provider *p, struct llm_ask *a)
{
	memset(a, 0, sizeof(*a));
	a->system = job->system;
	a->schema = job->schema;
	a->schema_name = job->schema_name;
	a->fmt = p->fmt;
	a->temperature = ch->temperature;
	a->max_tokens = p->max_tokens;
	a->seed = job->seed;
	a->stream = ch->stream;
}

void
llm_chain_release(struct llm_chain *ch)
{
	size_t i;

	for (i = 0; i < ch->np; i++)
		provider_free(ch->p[i]);
	free(ch->p);
	ch->p = NULL;
	ch->np = 0;
}

/*
 * Gemini always needs a key, and so do the OpenAI-compatible services
 * with a key variable (groq, openai, or providers.NAME.key_env); a
 * local server (llama.cpp, vLLM) under a name of its own may have none.
 */
static int
needs_key(struct agency *ag, const struct llm_provider *p)
{
	if (!p->ops->needs_key)
		return 0;
	return p->ops != &llm_openai || llm_key_env(ag, p->name) != NULL;
}

/* The store, or NULL (with one warning) if it cannot be opened. */
static struct store *
store_of(struct agency *ag)
{
	static int warned;
	struct store *st;

	if (ag_store(ag, &st) == AG_OK)
		return st;
	if (!warned++)
		ag_warn(ag, "%s; calls are not logged and no cooldown is kept",
		    ag->err);
	ag_clear_error(ag);
	return NULL;
}

struct attempt {
	struct llm_chain *ch;
	struct llm_job *job;
	struct llm_provider *p;
	struct llm_msg msgs[2 + 2 * 8];
	size_t nmsgs;
	cJSON *attempts;		/* borrowed: meta.attempts */
	int64_t tokens_in, tokens_out;
	double cost;
	char *why;			/* why the provider was given up */
	int configured;			/* the user set it up: warn */
	int last;			/* no provider after it */
};

static void
msgs_release(struct attempt *at)
{
	size_t i;

	for (i = 0; i < at->nmsgs; i++)
		free(at->msgs[i].content);
	at->nmsgs = 0;
}

static void
msg_add(struct attempt *at, const char *role, char *content)
{
	if (at->nmsgs >= sizeof(at->msgs) / sizeof(at->msgs[0])) {
		free(content);
		return;
	}
	at->msgs[at->nmsgs].role = role;
	at->msgs[at->nmsgs++].content = content;
}

static void
hash_prompt(const struct llm_ask *a, char hex[AG_SHA256_HEX])
{
	struct ag_sha256 c;
	size_t i;

	ag_sha256_init(&c);
	ag_sha256_update(&c, a->system, strlen(a->system) + 1);
	for (i = 0; i < a->nmsgs; i++) {
		ag_sha256_update(&c, a->msgs[i].role,
		    strlen(a->msgs[i].role) + 1);
		ag_sha256_update(&c, a->msgs[i].content,
		    strlen(a->msgs[i].content) + 1);
	}
	ag_sha256_hex(&c, hex);
}

static void
cache_key(const struct llm_provider *p, const struct llm_ask *a,
    char hex[AG_SHA256_HEX])
{
	struct llm_ask copy = *a;
	struct llm_http h;
	struct ag_sha256 c;

	memset(&h, 0, sizeof(h));
	copy.stream = 0;
	p->ops->build(p, &copy, &h);
	ag_sha256_init(&c);
	ag_sha256_update(&c, p->name, strlen(p->name) + 1);
	ag_sha256_update(&c, p->model, strlen(p->model) + 1);
	ag_sha256_update(&c, h.body, strlen(h.body));
	ag_sha256_hex(&c, hex);
	llm_http_release(&h);
}

static const char *
outcome_of(int cls, int accepted, int cached)
{
	if (cached && accepted)
		return "cached";
	if (cls == LLM_OK || cls == LLM_FAILED_JSON)
		return accepted ? "ok" : "invalid";
	return llm_class_name(cls);
}

static void
record(struct agency *ag, struct attempt *at, const struct llm_ask *a,
    const struct llm_answer *ans, const char *outcome, int64_t ms,
    const char *purpose)
{
	struct llm_provider *p = at->p;
	struct llm_call c;
	struct store *st;
	char hash[AG_SHA256_HEX], *resp = NULL;
	cJSON *o;
	double cost = ((double)ans->tokens_in * p->price_in +
	    (double)ans->tokens_out * p->price_out) / 1e6;

	if (ans->cached)
		cost = 0;
	at->tokens_in += ans->cached ? 0 : ans->tokens_in;
	at->tokens_out += ans->cached ? 0 : ans->tokens_out;
	at->cost += cost;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "provider", p->name);
	cJSON_AddStringToObject(o, "model", ans->model ? ans->model :
	    p->model);
	cJSON_AddStringToObject(o, "outcome", outcome);
	if (ans->status != 0)
		cJSON_AddNumberToObject(o, "status", (double)ans->status);
	if (ans->error != NULL && strcmp(outcome, "ok") != 0) {
		char *r = ag_redact(ans->error);

		cJSON_AddStringToObject(o, "error", r);
		free(r);
	}
	cJSON_AddNumberToObject(o, "latency_ms", (double)ms);
	cJSON_AddNumberToObject(o, "tokens_in", (double)ans->tokens_in);
	cJSON_AddNumberToObject(o, "tokens_out", (double)ans->tokens_out);
	cJSON_AddItemToArray(at->attempts, o);
	if (!at->ch->log || (st = store_of(ag)) == NULL)
		return;
	if (ans->raw.len > 0)
		resp = xstrndup(ans->raw.data, ans->raw.len < MAXLOGTEXT ?
		    ans->raw.len : MAXLOGTEXT);
	else if (ans->text.len > 0)
		resp = xstrndup(ans->text.data, ans->text.len < MAXLOGTEXT ?
		    ans->text.len : MAXLOGTEXT);
	hash_prompt(a, hash);
	memset(&c, 0, sizeof(c));
	c.provider = p->name;
	c.model = ans->model ? ans->model : p->model;
	c.prompt_hash = hash;
	c.request = ans->request;
	c.response = resp;
	c.outcome = outcome;
	c.error = strcmp(outcome, "ok") != 0 ? ans->error : NULL;
	c.run_id = at->ch->run_id;
	c.purpose = purpose;
	c.tokens_in = ans->tokens_in;
	c.tokens_out = ans->tokens_out;
	c.latency_ms = ms;
	c.status = ans->status;
	c.cost = cost;
	if (llm_calls_add(ag, st, &c, NULL) != AG_OK) {
		ag_warn(ag, "%s", ag->err);
		ag_clear_error(ag);
	}
	free(resp);
}

static void
cool_down(struct agency *ag, struct attempt *at, double seconds,
    int per_day, const char *reason)
{
	struct store *st;
	int64_t now = ag_now_ms(), until;
	char when[AG_TIMEBUF];

	if (per_day && seconds < 0) {
		/* Daily quotas reset at midnight Pacific time: 08:00 UTC
		 * in winter, 07:00 in summer; the later is the safe one. */
		until = (now / 86400000) * 86400000 + 8 * 3600000LL;
		if (until <= now)
			until += 86400000;
	} else {
		until = now + (int64_t)((seconds >= 0 ? seconds : 3600) *
		    1000);
	}
	ag_time_format((time_t)(until / 1000), when);
	ag_info(ag, "%s: cooling down until %s", at->p->name, when);
	free(at->why);
	at->why = xasprintf("%s; skipped by later runs until %s", reason,
	    when);
	if ((st = store_of(ag)) != NULL &&
	    llm_cooldown_set(ag, st, at->p->name, until, reason) != AG_OK) {
		ag_warn(ag, "%s", ag->err);
		ag_clear_error(ag);
	}
}

static int
give_up(struct agency *ag, struct attempt *at, int warn, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
give_up(struct agency *ag, struct attempt *at, int warn, const char *fmt,
    ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at->why == NULL)
		at->why = xstrdup(msg);
	/* The last one's reason is in the final error anyway. */
	ag_log(ag, warn && at->configured && !at->last ? AG_LOG_WARN :
	    AG_LOG_INFO,
	    "%s: %s", at->p->name, at->why);
	return AG_UNAVAILABLE;
}

static double
elapsed(const struct llm_chain *ch)
{
	return (double)(ag_mono_ms() - ch->started) / 1000;
}

/* The offline provider: no request, the job's own generator. */
static int
try_offline(struct agency *ag, struct attempt *at, cJSON **doc)
{
	struct llm_answer ans;
	struct llm_ask a;
	struct buf problems = BUF_INIT;
	cJSON *raw = NULL;
	int64_t t0 = ag_mono_ms();
	char *text;
	int rc;

	memset(&a, 0, sizeof(a));
	a.system = at->job->system;
	a.msgs = at->msgs;
	a.nmsgs = at->nmsgs;
	llm_answer_init(&ans);
	if ((rc = at->job->offline(ag, at->job->arg, &raw)) == AG_OK) {
		text = cJSON_PrintUnformatted(raw);
		buf_addstr(&ans.text, text);
		cJSON_free(text);
		rc = at->job->accept(ag, at->job->arg, raw, &problems, doc);
	}
	if (rc != AG_OK)
		llm_answer_fail(&ans, LLM_OK, "%s%s", ag->err,
		    problems.len ? "" : "");
	record(ag, at, &a, &ans, rc == AG_OK ? "ok" : "invalid",
	    ag_mono_ms() - t0, at->job->purpose);
	cJSON_Delete(raw);
	llm_answer_release(&ans);
	buf_release(&problems);
	return rc == AG_OK ? AG_OK : AG_SOFTWARE;
}

static char *
repair_prompt(const char *problems)
{
	return xasprintf("That output is invalid:\n%sReturn the complete "
	    "corrected JSON object only, no markdown, no commentary.",
	    problems);
}

/* One provider, through retries and repairs. */
static int
try_provider(struct agency *ag, struct attempt *at, cJSON **doc)
{
	struct llm_chain *ch = at->ch;
	struct llm_job *job = at->job;
	struct llm_provider *p = at->p;
	struct llm_answer ans;
	struct llm_ask a;
	struct llm_cached hit;
	struct buf problems = BUF_INIT;
	struct store *st;
	char key[AG_SHA256_HEX];
	cJSON *json = NULL;
	long long retries = 0, repairs = 0;
	int64_t t0;
	int rc = AG_UNAVAILABLE, once = 0, accepted;
	double wait;

	ask_init(ch, job, p, &a);
	a.stream = ch->stream && ag->loglevel > AG_LOG_ERROR;
	llm_answer_init(&ans);
	for (;;) {
		/* Each turn starts from a clean answer. */
		llm_answer_release(&ans);
		llm_answer_init(&ans);
		if (ch->deadline > 0 && elapsed(ch) > ch->deadline)
			return give_up(ag, at, 1, "the chain ran out of time "
			    "(script.deadline %.0f s)", ch->deadline);
		a.msgs = at->msgs;
		a.nmsgs = at->nmsgs;
		a.fmt = p->fmt;
		accepted = 0;
		t0 = ag_mono_ms();
		memset(&hit, 0, sizeof(hit));
		if (ch->cache && (st = store_of(ag)) != NULL) {
			cache_key(p, &a, key);
			if (llm_cache_get(ag, st, key, &hit) == AG_OK) {
				buf_addstr(&ans.text, hit.text);
				ans.tokens_in = hit.tokens_in;
				ans.tokens_out = hit.tokens_out;
				ans.cached = 1;
				free(hit.text);
				ag_info(ag, "%s: answer from the cache",
				    p->name);
			}
			ag_clear_error(ag);
		}
		if (!ans.cached) {
			ag_info(ag, "%s: asking %s%s", p->name, p->model,
			    repairs ? " again" : "");
			if ((rc = p->ops->call(ag, p, &a, &ans)) != AG_OK)
				break;
			if (a.stream)
				llm_echo_end();
		}
		buf_reset(&problems);
		if (ans.cls == LLM_OK || ans.cls == LLM_FAILED_JSON) {
			const char *text = ans.cls == LLM_FAILED_JSON &&
			    ans.failed ? ans.failed : buf_str(&ans.text);

			if (llm_extract(ag, text, &json) != AG_OK) {
				buf_addf(&problems, "$: %s\n", ag->err);
			} else {
				accepted = job->accept(ag, job->arg, json,
				    &problems, doc) == AG_OK;
				cJSON_Delete(json);
				json = NULL;
			}
			ag_clear_error(ag);
			if (!accepted && ans.error == NULL)
				ans.error = xasprintf("invalid: %.*s",
				    (int)strcspn(buf_str(&problems), "\n"),
				    buf_str(&problems));
		}
		record(ag, at, &a, &ans, outcome_of(ans.cls, accepted,
		    ans.cached), ag_mono_ms() - t0, repairs ? "repair" :
		    job->purpose);
		if (accepted) {
			if (ch->cache && !ans.cached && (st = store_of(ag)) &&
			    llm_cache_put(ag, st, key, p->name, ans.model ?
			    ans.model : p->model, buf_str(&ans.text),
			    ans.tokens_in, ans.tokens_out) != AG_OK) {
				ag_warn(ag, "%s", ag->err);
				ag_clear_error(ag);
			}
			if (ans.model != NULL && strcmp(ans.model, p->model)) {
				free(p->model);
				p->model = xstrdup(ans.model);
			}
			rc = AG_OK;
			break;
		}
		switch (ans.cls) {
		case LLM_OK:
		case LLM_FAILED_JSON:
			if (repairs >= ch->repairs) {
				rc = give_up(ag, at, 1, "the output is still "
				    "invalid after %lld repair%s: %s", repairs,
				    repairs == 1 ? "" : "s", ans.error);
				break;
			}
			repairs++;
			ag_info(ag, "%s: invalid output; asking for a repair "
			    "(%lld of %lld): %s", p->name, repairs, ch->repairs,
			    ans.error);
			{
				const char *bad = ans.cls == LLM_FAILED_JSON &&
				    ans.failed ? ans.failed : buf_str(&ans.text);

				msg_add(at, "assistant", xstrndup(bad,
				    MAXREPAIRTEXT));
			}
			msg_add(at, "user", repair_prompt(buf_str(&problems)));
			if (a.temperature > 0.2)
				a.temperature = 0.2;
			continue;
		case LLM_TRUNCATED:
			if (repairs >= ch->repairs) {
				rc = give_up(ag, at, 1, "the answer was cut off "
				    "at the token limit (%lld tokens)",
				    a.max_tokens);
				break;
			}
			repairs++;
			a.max_tokens = a.max_tokens * 2 > 65536 ? 65536 :
			    a.max_tokens * 2;
			ag_info(ag, "%s: answer cut off; asking again for a "
			    "shorter one with %lld tokens", p->name,
			    a.max_tokens);
			{
				char *s = xasprintf("%s\n\nKeep the answer short: "
				    "fewer scenes and shorter narration, so "
				    "that the whole JSON object fits.",
				    at->msgs[0].content);

				free(at->msgs[0].content);
				at->msgs[0].content = s;
			}
			continue;
		case LLM_RECITATION:
		case LLM_EMPTY:
			if (once++ == 0) {
				ag_info(ag, "%s: %s; asking once more",
				    p->name, ans.error);
				a.temperature = fmin(1.0, a.temperature + 0.3);
				continue;
			}
			rc = give_up(ag, at, 1, "%s", ans.error);
			break;
		case LLM_TRANSIENT:
		case LLM_RATE:
			if (ans.retry_after > ch->max_wait) {
				char *r = xasprintf("%s; it asks to wait %.0f s "
				    "(script.max_wait is %.0f)", ans.error,
				    ans.retry_after, ch->max_wait);

				cool_down(ag, at, ans.retry_after, 0, r);
				free(r);
				rc = give_up(ag, at, 1, "%s", "");
				break;
			}
			if (retries >= ch->retries) {
				rc = give_up(ag, at, 1, "%s%s", ans.error,
				    retries ? " (after retries)" : "");
				break;
			}
			wait = ans.retry_after >= 0 ? ans.retry_after :
			    http_backoff(config_number(ag, "http.backoff"),
			    8, (int)retries, &(unsigned int){
			    (unsigned int)ag_now_ms() });
			if (ch->deadline > 0 && elapsed(ch) + wait >
			    ch->deadline) {
				rc = give_up(ag, at, 1, "%s (no time left to "
				    "retry)", ans.error);
				break;
			}
			retries++;
			ag_info(ag, "%s: %s; retry %lld of %lld in %.1f s",
			    p->name, ans.error, retries, ch->retries, wait);
			ag_sleep_ms((int64_t)(wait * 1000));
			continue;
		case LLM_QUOTA:
			cool_down(ag, at, ans.retry_after, ans.per_day,
			    ans.error);
			rc = give_up(ag, at, 1, "%s", "");
			break;
		case LLM_CAPABILITY:
			if (p->fmt > FMT_PROMPT) {
				p->fmt--;
				ag_info(ag, "%s: %s; asking with %s", p->name,
				    ans.error, p->fmt == FMT_JSON ?
				    "JSON mode" : "the prompt alone");
				continue;
			}
			rc = give_up(ag, at, 1, "%s", ans.error);
			break;
		case LLM_CONNECT:
			rc = give_up(ag, at, p->explicit_url || p->key,
			    "%s", ans.error);
			break;
		case LLM_AUTH:
			rc = give_up(ag, at, 1, "the provider refused the key "
			    "or the request: %s", ans.error);
			break;
		default:
			rc = give_up(ag, at, 1, "%s", ans.error ? ans.error :
			    "failed");
			break;
		}
		break;
	}
	llm_answer_release(&ans);
	buf_release(&problems);
	return rc;
}

static void
add_meta(struct agency *ag, struct attempt *at, cJSON *doc)
{
	cJSON *meta, *tok;

	(void)ag;
	cJSON_DeleteItemFromObject(doc, "provider");
	cJSON_DeleteItemFromObject(doc, "model");
	cJSON_AddStringToObject(doc, "provider", at->p->name);
	cJSON_AddStringToObject(doc, "model", at->p->model);
	meta = cJSON_AddObjectToObject(doc, "meta");
	cJSON_AddStringToObject(meta, "provider", at->p->name);
	cJSON_AddStringToObject(meta, "model", at->p->model);
	cJSON_AddStringToObject(meta, "run", at->ch->run_id);
	cJSON_AddItemReferenceToObject(meta, "attempts", at->attempts);
	tok = cJSON_AddObjectToObject(meta, "tokens");
	cJSON_AddNumberToObject(tok, "in", (double)at->tokens_in);
	cJSON_AddNumberToObject(tok, "out", (double)at->tokens_out);
	cJSON_AddNumberToObject(meta, "cost", round(at->cost * 1e6) / 1e6);
	cJSON_AddNumberToObject(meta, "latency_ms",
	    (double)(ag_mono_ms() - at->ch->started));
}

int
llm_chain_run(struct agency *ag, struct llm_chain *ch, struct llm_job *job,
    cJSON **doc)
{
	struct attempt at;
	struct store *st;
	struct buf why = BUF_INIT;
	cJSON *attempts = cJSON_CreateArray(), *out = NULL, *copy;
	char *reason, when[AG_TIMEBUF];
	int64_t until;
	size_t i, failed_configured = 0, tried = 0;
	int rc = AG_UNAVAILABLE;

	ch->started = ag_mono_ms();
	for (i = 0; i < ch->np; i++) {
		memset(&at, 0, sizeof(at));
		at.ch = ch;
		at.job = job;
		at.p = ch->p[i];
		at.attempts = attempts;
		at.last = i + 1 == ch->np;
		msg_add(&at, "user", xstrdup(job->prompt));
		if (at.p->ops == &llm_offline) {
			if (failed_configured > 0)
				ag_warn(ag, "every configured provider failed; "
				    "the offline provider writes the %s",
				    job->purpose);
			else if (i > 0)
				ag_info(ag, "no provider is configured (no API "
				    "key, nothing listening); the offline "
				    "provider writes the %s", job->purpose);
			rc = try_offline(ag, &at, &out);
		} else if (at.p->key == NULL && !at.p->key_tried++ &&
		    (rc = llm_key_load(ag, at.p)) != AG_OK) {
			msgs_release(&at);
			break;
		} else if (needs_key(ag, at.p) && at.p->key == NULL) {
			const char *env = llm_key_env(ag, at.p->name);

			at.why = xasprintf("skipped: no API key (%s%s"
			    "credentials/%s or providers.%s.key_cmd)",
			    env ? env : "", env ? ", " : "", at.p->name,
			    at.p->name);
			ag_info(ag, "%s: %s", at.p->name, at.why);
			rc = AG_UNAVAILABLE;
		} else if (llm_cooldown_maybe(ag) &&
		    (st = store_of(ag)) != NULL &&
		    llm_cooldown_get(ag, st, at.p->name, &until,
		    &reason) == AG_OK && until > 0) {
			ag_time_format((time_t)(until / 1000), when);
			at.why = xasprintf("skipped: cooling down until %s "
			    "(%s)", when, reason ? reason : "out of quota");
			ag_info(ag, "%s: %s", at.p->name, at.why);
			free(reason);
			rc = AG_UNAVAILABLE;
		} else {
			at.configured = at.p->key != NULL ||
			    at.p->explicit_url || ch->forced;
			tried++;
			rc = try_provider(ag, &at, &out);
			if (rc == AG_UNAVAILABLE && at.configured)
				failed_configured++;
		}
		ag_clear_error(ag);
		if (rc == AG_OK) {
			add_meta(ag, &at, out);
			/* meta.attempts referenced the shared array. */
			copy = cJSON_Duplicate(out, 1);
			cJSON_Delete(out);
			*doc = copy;
			msgs_release(&at);
			free(at.why);
			break;
		}
		if (at.why != NULL)
			buf_addf(&why, "%s%s: %s", why.len ? "\n" : "",
			    at.p->name, at.why);
		msgs_release(&at);
		free(at.why);
		if (rc != AG_UNAVAILABLE)
			break;
	}
	if (rc == AG_UNAVAILABLE) {
		const char *p = buf_str(&why), *nl;

		for (; *p != '\0'; p = *nl ? nl + 1 : nl) {
			nl = p + strcspn(p, "\n");
			ag_log(ag, AG_LOG_ERROR, "%.*s", (int)(nl - p), p);
		}
		rc = ag_fail(ag, AG_UNAVAILABLE, "every provider failed "
		    "(%zu tried)", ch->np);
	}
	buf_release(&why);
	cJSON_Delete(attempts);
	return rc;
}

void
llm_chain_describe(struct agency *ag, struct llm_chain *ch,
    struct llm_job *job, struct buf *out)
{
	struct llm_provider *p;
	struct llm_msg m = { "user", job->prompt };
	struct http_request req;
	struct llm_http h;
	struct llm_ask a;
	size_t i;

	for (i = 0; i < ch->np; i++) {
		p = ch->p[i];
		buf_addf(out, "%s# %s: %s, model %s\n", i ? "\n" : "",
		    p->name, p->ops->type, p->model);
		if (p->ops == &llm_offline) {
			buf_addstr(out, "# no request: the script is written "
			    "here, without a network\n");
			continue;
		}
		if (p->key == NULL && !p->key_tried++ &&
		    llm_key_load(ag, p) != AG_OK) {
			buf_addf(out, "# skipped: %s\n", ag->err);
			ag_clear_error(ag);
			continue;
		}
		if (needs_key(ag, p) && p->key == NULL) {
			buf_addstr(out, "# skipped: no API key\n");
			continue;
		}
		memset(&h, 0, sizeof(h));
		ask_init(ch, job, p, &a);
		a.msgs = &m;
		a.nmsgs = 1;
		p->ops->build(p, &a, &h);
		http_request_init(&req, h.url);
		req.method = "POST";
		req.headers = (const char *const *)h.headers;
		req.body = h.body;
		req.body_len = strlen(h.body);
		http_describe(&req, out);
		llm_http_release(&h);
	}
}

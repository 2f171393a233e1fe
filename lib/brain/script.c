/*
 * script.c - agency-script's library entry points: write scripts (with
 * variants), describe the requests for --dry-run, read the call log.
 *
 * A run reads the brief once, loads the template, sets up the chain
 * (providers, keys as they are reached, the store for the log, the
 * cooldowns and the cache) and runs it once per variant.  Variants are
 * asked for with a line in the prompt ("variant 2 of 3: a different
 * angle"), so each has a request of its own (and a cache entry of its
 * own); the offline provider takes its hook from another sentence.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "llm.h"

void
script_params_init(struct script_params *p)
{
	memset(p, 0, sizeof(*p));
	p->n = 1;
	p->cache = -1;
	p->count = 10;
}

static int
accept_script(struct agency *ag, void *arg, cJSON *answer, struct buf *pb,
    cJSON **doc)
{
	return script_accept(ag, arg, answer, pb, doc);
}

static int
offline_cb(struct agency *ag, void *arg, cJSON **doc)
{
	return offline_script(ag, arg, doc);
}

static char *
joined(const struct ag_strv *v, const char *sep)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_addstr(&b, "");
	for (i = 0; i < v->n; i++)
		buf_addf(&b, "%s%s", i ? sep : "", v->v[i]);
	return buf_detach(&b);
}

static int
prepare(struct agency *ag, struct script_spec *s, const struct template *t,
    struct llm_job *job)
{
	char dur[32], scenes[32], *plats, *schema, *brief, *variant;
	const char *tone, *audience;
	long n;
	int rc;

	memset(job, 0, sizeof(*job));
	if ((tone = s->tone) == NULL &&
	    (tone = template_default(t, "tone")) == NULL)
		tone = "friendly and direct";
	if ((audience = s->audience) == NULL &&
	    (audience = template_default(t, "audience")) == NULL)
		audience = "people scrolling a short-video feed";
	snprintf(dur, sizeof(dur), "%g", s->duration);
	n = lround(s->duration / 8);
	snprintf(scenes, sizeof(scenes), "%ld", n < 3 ? 3 : n > 10 ? 10 : n);
	job->schema = script_answer_schema(&s->platforms);
	job->schema_name = "video_script";
	job->purpose = "script";
	job->seed = -1;
	job->accept = accept_script;
	job->offline = offline_cb;
	job->arg = s;
	plats = joined(&s->platforms, ", ");
	schema = schema_describe(job->schema);
	brief = s->body && *s->body ? xasprintf("Notes from the brief, to "
	    "follow closely:\n%s", s->body) : xstrdup("");
	variant = s->nvariants > 1 ? xasprintf("This is variant %d of %d: "
	    "take a different angle and a different hook from the obvious "
	    "one.", s->variant + 1, s->nvariants) : xstrdup("");
	{
		const char *vars[] = {
			"topic", s->topic, "title", s->title ? s->title : "",
			"brief", brief, "platforms", plats, "duration", dur,
			"scenes", scenes, "language", s->language,
			"tone", tone, "audience", audience,
			"angle", s->angle ? s->angle : "", "schema", schema,
			"variant", variant, NULL
		};

		rc = template_render(ag, t, t->system, vars, &job->system);
		if (rc == AG_OK)
			rc = template_render(ag, t, t->prompt, vars,
			    &job->prompt);
	}
	free(plats);
	free(schema);
	free(brief);
	free(variant);
	if (rc != AG_OK)
		llm_job_release(job);
	return rc;
}

static int
setup(struct agency *ag, const struct script_params *p,
    struct script_spec *s, struct template **t)
{
	int rc;

	if (p->n < 1 || p->n > 100)
		return ag_fail(ag, AG_USAGE, "--n %lld: from 1 to 100", p->n);
	if ((rc = brief_read(ag, p, s)) != AG_OK)
		return rc;
	if ((rc = template_load(ag, s->template, t)) != AG_OK) {
		script_spec_release(s);
		return rc;
	}
	if (strcmp((*t)->schema, "script") != 0) {
		rc = ag_fail(ag, AG_USAGE, "template '%s' writes %s, not a "
		    "script; try 'agency-script ideas --template %s'",
		    (*t)->name, (*t)->schema, (*t)->name);
		template_free(*t);
		script_spec_release(s);
	}
	return rc;
}

int
script_write(struct agency *ag, const struct script_params *p, cJSON **out)
{
	struct script_spec s;
	struct template *t = NULL;
	struct llm_chain ch;
	struct llm_job job;
	cJSON *arr, *doc;
	long long v;
	int rc;

	if ((rc = setup(ag, p, &s, &t)) != AG_OK)
		return rc;
	if ((rc = llm_chain_init(ag, p, &ch)) != AG_OK) {
		template_free(t);
		script_spec_release(&s);
		return rc;
	}
	arr = cJSON_CreateArray();
	for (v = 0; v < p->n && rc == AG_OK; v++) {
		s.variant = (int)v;
		s.nvariants = (int)p->n;
		if ((rc = prepare(ag, &s, t, &job)) != AG_OK)
			break;
		if ((rc = llm_chain_run(ag, &ch, &job, &doc)) == AG_OK)
			cJSON_AddItemToArray(arr, doc);
		llm_job_release(&job);
	}
	llm_chain_release(&ch);
	template_free(t);
	script_spec_release(&s);
	/* What was written is kept even when a later variant failed. */
	*out = arr;
	return rc;
}

int
script_dry_run(struct agency *ag, const struct script_params *p, int ideas,
    struct buf *out)
{
	struct script_spec s;
	struct template *t = NULL;
	struct llm_chain ch;
	struct llm_job job;
	int rc;

	if (ideas)
		return ideas_describe(ag, p, out);
	if ((rc = setup(ag, p, &s, &t)) != AG_OK)
		return rc;
	s.nvariants = (int)p->n;
	if ((rc = prepare(ag, &s, t, &job)) == AG_OK) {
		if ((rc = llm_chain_init(ag, p, &ch)) == AG_OK) {
			llm_chain_describe(ag, &ch, &job, out);
			llm_chain_release(&ch);
		}
		llm_job_release(&job);
	}
	template_free(t);
	script_spec_release(&s);
	return rc;
}

int
script_log(struct agency *ag, int n, cJSON **out)
{
	struct store *st;
	int rc;

	if ((rc = ag_store(ag, &st)) != AG_OK)
		return rc;
	return llm_calls_list(ag, st, n, out);
}

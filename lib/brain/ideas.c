/*
 * ideas.c - "agency-script ideas": a content strategy for a niche, as
 * agency.idea documents (topic, angle, platform, hook) that feed
 * straight back into agency-script (its stdin takes one as a brief).
 * The same chain writes them, with the ideas template and its own
 * schema and check; the offline provider combines the niche with a
 * fixed list of proven formats.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "llm.h"

struct ideas {
	const char *niche, *language;
	long long count;
	struct script_spec spec;	/* platforms */
};

static cJSON *
ideas_schema(const struct ideas *in)
{
	cJSON *root = cJSON_CreateObject(), *props, *arr, *item, *ip, *p, *e;
	size_t i;
	static const char *const fields[] = { "topic", "angle", "platform",
	    "hook" };
	static const char *const descs[] = {
		"the video's subject, as a short title",
		"how the video treats it: the approach that makes it work",
		"the platform it suits best",
		"the first line spoken"
	};

	cJSON_AddStringToObject(root, "type", "object");
	props = cJSON_AddObjectToObject(root, "properties");
	arr = cJSON_AddObjectToObject(props, "ideas");
	cJSON_AddStringToObject(arr, "type", "array");
	cJSON_AddNumberToObject(arr, "minItems", (double)in->count);
	cJSON_AddNumberToObject(arr, "maxItems", (double)in->count);
	item = cJSON_AddObjectToObject(arr, "items");
	cJSON_AddStringToObject(item, "type", "object");
	ip = cJSON_AddObjectToObject(item, "properties");
	for (i = 0; i < 4; i++) {
		p = cJSON_AddObjectToObject(ip, fields[i]);
		cJSON_AddStringToObject(p, "type", "string");
		cJSON_AddStringToObject(p, "description", descs[i]);
		if (i == 2) {
			size_t j;

			e = cJSON_AddArrayToObject(p, "enum");
			for (j = 0; j < in->spec.platforms.n; j++)
				cJSON_AddItemToArray(e, cJSON_CreateString(
				    in->spec.platforms.v[j]));
		}
	}
	cJSON_AddItemToObject(item, "required", cJSON_CreateRaw(
	    "[\"topic\",\"angle\",\"platform\",\"hook\"]"));
	cJSON_AddFalseToObject(item, "additionalProperties");
	cJSON_AddItemToObject(root, "required", cJSON_CreateRaw(
	    "[\"ideas\"]"));
	cJSON_AddFalseToObject(root, "additionalProperties");
	/* Raw items do not survive every consumer: make them real. */
	{
		char *s = cJSON_PrintUnformatted(root);

		cJSON_Delete(root);
		root = cJSON_Parse(s);
		cJSON_free(s);
	}
	return root;
}

static char *
trimmed(const cJSON *v)
{
	const char *s, *e;

	if (!cJSON_IsString(v))
		return NULL;
	for (s = v->valuestring; isspace((unsigned char)*s); s++)
		;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	return e > s ? xstrndup(s, (size_t)(e - s)) : NULL;
}

static int
accept_ideas(struct agency *ag, void *arg, cJSON *ans, struct buf *pb,
    cJSON **doc)
{
	struct ideas *in = arg;
	const cJSON *list, *it;
	cJSON *out, *arr, *o;
	char *topic, *angle, *plat, *hook, *c;
	size_t i = 0, j, start = pb->len;

	list = cJSON_GetObjectItem(ans, "ideas");
	if (!cJSON_IsArray(list)) {
		buf_addstr(pb, "$.ideas: missing, expected an array of "
		    "ideas\n");
		return ag_fail(ag, AG_DATAERR, "no ideas in the answer");
	}
	out = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(out, "ideas");
	cJSON_ArrayForEach(it, list) {
		if ((long long)i >= in->count)
			break;
		topic = trimmed(cJSON_GetObjectItem(it, "topic"));
		angle = trimmed(cJSON_GetObjectItem(it, "angle"));
		plat = trimmed(cJSON_GetObjectItem(it, "platform"));
		hook = trimmed(cJSON_GetObjectItem(it, "hook"));
		if (topic == NULL)
			buf_addf(pb, "$.ideas[%zu].topic: missing, expected "
			    "a string\n", i);
		for (c = plat; c && *c; c++)
			*c = (char)tolower((unsigned char)*c);
		for (j = 0; plat != NULL && j < in->spec.platforms.n; j++)
			if (strcmp(plat, in->spec.platforms.v[j]) == 0)
				break;
		if (plat == NULL || j == in->spec.platforms.n) {
			free(plat);
			plat = xstrdup(in->spec.platforms.v[i %
			    in->spec.platforms.n]);
		}
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "topic", topic ? topic : "");
		cJSON_AddStringToObject(o, "angle", angle ? angle : "");
		cJSON_AddStringToObject(o, "platform", plat);
		cJSON_AddStringToObject(o, "hook", hook ? hook : topic ?
		    topic : "");
		cJSON_AddItemToArray(arr, o);
		free(topic);
		free(angle);
		free(plat);
		free(hook);
		i++;
	}
	if ((long long)i < in->count)
		buf_addf(pb, "$.ideas: %zu ideas, expected %lld\n", i,
		    in->count);
	if (pb->len > start) {
		cJSON_Delete(out);
		return ag_fail(ag, AG_DATAERR, "the answer is not a valid list "
		    "of ideas");
	}
	*doc = out;
	return AG_OK;
}

static int
offline_cb(struct agency *ag, void *arg, cJSON **doc)
{
	struct ideas *in = arg;

	return offline_ideas(ag, in->niche, in->count, &in->spec.platforms,
	    doc);
}

static int
prepare(struct agency *ag, const struct script_params *p, struct ideas *in,
    struct template **t, struct llm_job *job)
{
	struct script_params bp = *p;
	char count[32], *plats, *schema;
	struct buf b = BUF_INIT;
	size_t i;
	int rc;

	memset(job, 0, sizeof(*job));
	in->niche = p->niche ? p->niche : p->topic;
	if (in->niche == NULL || *in->niche == '\0')
		return ag_fail(ag, AG_USAGE, "ideas: which niche? give "
		    "--niche TEXT");
	if (p->count < 1 || p->count > 100)
		return ag_fail(ag, AG_USAGE, "--count %lld: from 1 to 100",
		    p->count);
	in->count = p->count;
	/* The platforms and language resolve as for a script. */
	bp.topic = in->niche;
	bp.brief = NULL;
	bp.template = "ideas";
	if ((rc = brief_read(ag, &bp, &in->spec)) != AG_OK)
		return rc;
	in->language = in->spec.language;
	if ((rc = template_load(ag, p->template ? p->template : "ideas",
	    t)) != AG_OK)
		return rc;
	if (strcmp((*t)->schema, "ideas") != 0)
		return ag_fail(ag, AG_USAGE, "template '%s' writes a %s, not "
		    "ideas", (*t)->name, (*t)->schema);
	job->purpose = "ideas";
	job->schema = ideas_schema(in);
	job->schema_name = "content_ideas";
	job->seed = -1;
	job->accept = accept_ideas;
	job->offline = offline_cb;
	job->arg = in;
	snprintf(count, sizeof(count), "%lld", in->count);
	for (i = 0; i < in->spec.platforms.n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", in->spec.platforms.v[i]);
	plats = buf_detach(&b);
	schema = schema_describe(job->schema);
	{
		const char *vars[] = {
			"niche", in->niche, "topic", in->niche,
			"count", count, "platforms", plats,
			"language", in->language, "schema", schema,
			"audience", p->audience ? p->audience :
			template_default(*t, "audience"),
			"tone", p->tone ? p->tone : template_default(*t, "tone"),
			NULL
		};

		rc = template_render(ag, *t, (*t)->system, vars, &job->system);
		if (rc == AG_OK)
			rc = template_render(ag, *t, (*t)->prompt, vars,
			    &job->prompt);
	}
	free(plats);
	free(schema);
	return rc;
}

int
ideas_write(struct agency *ag, const struct script_params *p, cJSON **out)
{
	struct ideas in;
	struct template *t = NULL;
	struct llm_chain ch;
	struct llm_job job;
	const cJSON *it, *prov, *model;
	cJSON *doc = NULL, *arr, *o;
	int rc;

	memset(&in, 0, sizeof(in));
	rc = prepare(ag, p, &in, &t, &job);
	if (rc == AG_OK && (rc = llm_chain_init(ag, p, &ch)) == AG_OK) {
		rc = llm_chain_run(ag, &ch, &job, &doc);
		llm_chain_release(&ch);
	}
	if (rc == AG_OK) {
		arr = cJSON_CreateArray();
		prov = cJSON_GetObjectItem(doc, "provider");
		model = cJSON_GetObjectItem(doc, "model");
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(doc, "ideas")) {
			o = ag_doc_new("agency.idea");
			cJSON_AddStringToObject(o, "niche", in.niche);
			cJSON_AddStringToObject(o, "language", in.language);
			cJSON_AddItemToObject(o, "topic", cJSON_Duplicate(
			    cJSON_GetObjectItem(it, "topic"), 1));
			cJSON_AddItemToObject(o, "angle", cJSON_Duplicate(
			    cJSON_GetObjectItem(it, "angle"), 1));
			cJSON_AddItemToObject(o, "platform", cJSON_Duplicate(
			    cJSON_GetObjectItem(it, "platform"), 1));
			cJSON_AddItemToObject(o, "hook", cJSON_Duplicate(
			    cJSON_GetObjectItem(it, "hook"), 1));
			cJSON_AddStringToObject(o, "provider",
			    prov->valuestring);
			cJSON_AddStringToObject(o, "model", model->valuestring);
			cJSON_AddItemToArray(arr, o);
		}
		*out = arr;
	}
	cJSON_Delete(doc);
	llm_job_release(&job);
	template_free(t);
	script_spec_release(&in.spec);
	return rc;
}

int
ideas_describe(struct agency *ag, const struct script_params *p,
    struct buf *out)
{
	struct ideas in;
	struct template *t = NULL;
	struct llm_chain ch;
	struct llm_job job;
	int rc;

	memset(&in, 0, sizeof(in));
	rc = prepare(ag, p, &in, &t, &job);
	if (rc == AG_OK && (rc = llm_chain_init(ag, p, &ch)) == AG_OK) {
		llm_chain_describe(ag, &ch, &job, out);
		llm_chain_release(&ch);
	}
	llm_job_release(&job);
	template_free(t);
	script_spec_release(&in.spec);
	return rc;
}

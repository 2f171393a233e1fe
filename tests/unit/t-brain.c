/* t-brain - the pure parts of lib/brain: extraction, parsing of waits,
 * text fitting, hashtags, templates, keywords, the script check. */
#include "tap.h"
#include "brain/llm.h"

static const char *
extract(struct agency *ag, const char *text)
{
	static char out[256];
	cJSON *j = NULL, *t;

	if (llm_extract(ag, text, &j) != AG_OK) {
		snprintf(out, sizeof(out), "error: %s", ag->err);
		return out;
	}
	t = cJSON_GetObjectItem(j, "a");
	snprintf(out, sizeof(out), "%s", cJSON_IsString(t) ? t->valuestring :
	    "?");
	cJSON_Delete(j);
	return out;
}

int
main(void)
{
	struct agency ag;
	struct template t;
	char *s, **kw;
	size_t n;
	cJSON *doc;

	tap_tmpdir();
	tap_agency(&ag, "t-brain");

	is_str(extract(&ag, "{\"a\":\"plain\"}"), "plain", "plain JSON");
	is_str(extract(&ag, "\xef\xbb\xbf  {\"a\":\"bom\"}\n"), "bom",
	    "a BOM and white space");
	is_str(extract(&ag, "```json\n{\"a\":\"fenced\"}\n```"), "fenced",
	    "code fences");
	is_str(extract(&ag, "```\n{\"a\":\"x```y\"}\n```"), "x```y",
	    "a fence inside a string value");
	is_str(extract(&ag, "Sure! {\"a\":\"prose\"} Enjoy {it}."), "prose",
	    "prose around the object");
	is_str(extract(&ag, "Here: {\"a\":\"b}r{ace\", \"n\": [1,2]}"),
	    "b}r{ace", "braces inside strings do not end the object");
	is_str(extract(&ag, "{\"a\":\"comma\", \"l\": [1, 2,],}"), "comma",
	    "trailing commas");
	is_str(extract(&ag, "{\"a\":\"cut off"), "error: the answer is not "
	    "valid JSON", "a truncated object is not closed by guesswork");
	is_str(extract(&ag, "no json at all"), "error: the answer holds no "
	    "JSON object", "no object");
	is_str(extract(&ag, "  \n"), "error: the answer is empty", "empty");

	ok(llm_parse_duration("36s") == 36, "36s");
	ok(llm_parse_duration("45.837906927s") > 45.83, "fractional seconds");
	ok(llm_parse_duration("2m59.56s") > 179.5 &&
	    llm_parse_duration("2m59.56s") < 179.6, "2m59.56s");
	ok(llm_parse_duration("750ms") == 0.75, "750ms");
	ok(llm_parse_duration("1h") == 3600, "1h");
	ok(llm_parse_duration("7") == 7, "a bare number is seconds");
	ok(llm_parse_duration("soon") == -1, "not a duration");
	ok(llm_hint_in_text("Please retry in 27.37s.") > 27.3, "retry in");
	ok(llm_hint_in_text("Please try again in 5.289s. Visit") > 5.28,
	    "try again in");
	ok(llm_hint_in_text("quota exceeded") == -1, "no hint");
	is_int(llm_status_class(401), LLM_AUTH, "401 is auth");
	is_int(llm_status_class(429), LLM_RATE, "429 is a rate limit");
	is_int(llm_status_class(498), LLM_TRANSIENT, "Groq 498 is transient");
	is_int(llm_status_class(400), LLM_BADREQ, "400 is a bad request");

	s = text_fit("short", 10);
	is_str(s, "short", "text that fits is kept");
	free(s);
	s = text_fit("one two three four five", 12);
	is_str(s, "one two\xe2\x80\xa6", "long text is cut at a word");
	ok(ag_utf8_len(s) <= 12, "within the limit");
	free(s);
	is_int(ag_utf8_len("cr\xc3\xa8me"), 5, "characters, not bytes");
	s = hashtag_make("Cold Brew!");
	is_str(s, "#coldbrew", "hashtags: letters and digits, lower case");
	free(s);
	ok(hashtag_make("2026") == NULL, "a number is no hashtag");
	ok(platform_find("tiktok")->description == 2200, "TikTok's limit");
	ok(platform_find("myspace") == NULL, "unknown platform");

	ag_keywords("The basil wants sun. Basil hates wet leaves; basil!", "en",
	    3, &kw, &n);
	ok(n == 3 && strcmp(kw[0], "basil") == 0 && strcmp(kw[1], "wants")
	    == 0, "keywords: frequency, then first appearance");
	ag_keywords_free(kw, n);

	memset(&t, 0, sizeof(t));
	t.path = "t.yaml";
	{
		const char *vars[] = { "topic", "basil", "empty", NULL, NULL };

		is_int(template_render(&ag, &t, "about {{ topic }}{{empty}}!",
		    vars, &s), AG_OK, "render");
		is_str(s, "about basil!", "variables replaced");
		free(s);
		is_int(template_render(&ag, &t, "{{nope}}", vars, &s),
		    AG_DATAERR, "an unknown variable is an error");
		is_str(ag.err, "t.yaml: unknown variable '{{nope}}'",
		    "naming it");
	}

	doc = cJSON_Parse("{\"kind\":\"agency.script\",\"version\":1,"
	    "\"title\":\"t\",\"hook\":\"h\",\"language\":\"en\",\"scenes\":"
	    "[{\"narration\":\"n\",\"on_screen\":\"o\",\"visual\":{\"hint\":"
	    "\"h\",\"query\":\"q\"},\"duration_hint\":2},{\"narration\":5}],"
	    "\"hashtags\":[],\"captions\":{}}");
	is_int(script_check(&ag, "s.json", doc), AG_DATAERR,
	    "script_check finds a bad scene");
	is_str(ag.err, "s.json: $.scenes[1].narration: expected a string",
	    "and names its path");
	cJSON_DeleteItemFromArray(cJSON_GetObjectItem(doc, "scenes"), 1);
	is_int(script_check(&ag, "s.json", doc), AG_OK, "a good script");
	cJSON_Delete(doc);
	ag_release(&ag);
	return done_testing();
}

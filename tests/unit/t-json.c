/* t-json - documents: parse errors with positions, checked access. */
#include "tap.h"

static int
parse(struct agency *ag, const char *text, cJSON **doc)
{
	*doc = NULL;
	return ag_json_parse(ag, "x.json", text, strlen(text), doc);
}

int
main(void)
{
	struct agency ag;
	struct jpath jp;
	const cJSON *scenes, *scene;
	const char *s = NULL;
	cJSON *doc;
	double d = 0;
	long long ll = 0;
	size_t mark;
	char path[512];
	const char *dir = tap_tmpdir();

	tap_agency(&ag, "t-json");
	is_int(parse(&ag, "{\"a\": 1,\n \"b\": }", &doc), AG_DATAERR,
	    "invalid JSON is a data error");
	is_str(ag.err, "x.json:2:7: invalid JSON", "with line and column");
	is_int(parse(&ag, "{\"a\": [1, 2", &doc), AG_DATAERR, "truncated");
	is_str(ag.err, "x.json:1:12: unexpected end of JSON", "says so");
	is_int(parse(&ag, "{} {}", &doc), AG_DATAERR, "trailing data");
	is_str(ag.err, "x.json:1:4: unexpected data after the document",
	    "is refused");
	is_int(parse(&ag, "{\"kind\":\"agency.edl\",\"version\":1}\n", &doc),
	    AG_OK, "a document parses");
	is_int(ag_doc_check(&ag, "x.json", doc, "agency.script"), AG_DATAERR,
	    "the wrong kind is refused");
	is_str(ag.err, "x.json: $.kind: expected agency.script, found "
	    "'agency.edl'", "naming the path");
	is_int(ag_doc_check(&ag, "x.json", doc, "agency.script,agency.edl"),
	    AG_OK, "one of several kinds");
	is_int(ag_doc_check(&ag, "x.json", doc, NULL), AG_OK, "any kind");
	cJSON_Delete(doc);
	parse(&ag, "{\"kind\":\"agency.edl\",\"version\":2}", &doc);
	is_int(ag_doc_check(&ag, "x.json", doc, NULL), AG_DATAERR,
	    "a newer version is refused");
	is_str(ag.err, "x.json: $.version: version 2 is not supported (this "
	    "program reads 1)", "saying which");
	cJSON_Delete(doc);
	parse(&ag, "{\"kind\":\"agency.edl\"}", &doc);
	is_int(ag_doc_check(&ag, "x.json", doc, NULL), AG_DATAERR,
	    "a missing version is refused");
	is_str(ag.err, "x.json: $.version: missing, expected a whole number",
	    "as missing");
	cJSON_Delete(doc);

	parse(&ag, "{\"scenes\":[{\"narration\":\"hi\",\"d\":2.5},"
	    "{\"narration\":7}], \"n\": 3.5}", &doc);
	jpath_init(&jp, "script.json");
	is_int(jget_array(&ag, &jp, doc, "scenes", J_REQUIRED, &scenes),
	    AG_OK, "an array");
	mark = jpath_key(&jp, "scenes");
	jpath_index(&jp, 0);
	scene = cJSON_GetArrayItem(scenes, 0);
	is_int(jget_string(&ag, &jp, scene, "narration", J_REQUIRED, &s),
	    AG_OK, "a string");
	is_str(s, "hi", "its value");
	is_int(jget_number(&ag, &jp, scene, "d", J_REQUIRED, &d), AG_OK,
	    "a number");
	ok(d == 2.5, "its value");
	is_int(jget_string(&ag, &jp, scene, "on_screen", J_OPTIONAL, &s),
	    AG_OK, "an optional member may be absent");
	is_str(s, "hi", "and leaves the output alone");
	jpath_pop(&jp, mark);
	mark = jpath_key(&jp, "scenes");
	jpath_index(&jp, 1);
	scene = cJSON_GetArrayItem(scenes, 1);
	is_int(jget_string(&ag, &jp, scene, "narration", J_REQUIRED, &s),
	    AG_DATAERR, "a number is not a string");
	is_str(ag.err, "script.json: $.scenes[1].narration: expected a "
	    "string", "the message names file and JSON path");
	is_int(jget_string(&ag, &jp, scene, "visual", J_REQUIRED, &s),
	    AG_DATAERR, "a missing member");
	is_str(ag.err, "script.json: $.scenes[1].visual: missing, expected a "
	    "string", "is reported as missing");
	jpath_pop(&jp, mark);
	is_int(jget_int(&ag, &jp, doc, "n", J_REQUIRED, &ll), AG_DATAERR,
	    "3.5 is not a whole number");
	is_str(ag.err, "script.json: $.n: expected a whole number", "says so");
	cJSON_Delete(doc);

	snprintf(path, sizeof(path), "%s/doc.json", dir);
	doc = ag_doc_new("agency.audio");
	is_int(ag_doc_write(&ag, path, doc), AG_OK, "a document is written");
	cJSON_Delete(doc);
	doc = NULL;
	is_int(ag_doc_read(&ag, path, "agency.audio", &doc), AG_OK,
	    "and read back");
	cJSON_Delete(doc);
	snprintf(path, sizeof(path), "%s/none.json", dir);
	is_int(ag_doc_read(&ag, path, NULL, &doc), AG_NOINPUT,
	    "a missing file is no input");
	ag_release(&ag);
	return done_testing();
}

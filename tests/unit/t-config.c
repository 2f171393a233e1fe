/* t-config - file, environment and flags, in that order of strength. */
#include <sys/stat.h>

#include "tap.h"

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	fputs(text, fp);
	fclose(fp);
}

int
main(void)
{
	struct agency ag;
	struct ag_strv v;
	struct stat sb;
	struct buf b = BUF_INIT;
	char path[512], sug[128];
	const char *dir = tap_tmpdir();

	tap_agency(&ag, "t-config");
	snprintf(path, sizeof(path), "%s/config/agency/config.yaml", dir);
	is_str(config_path(&ag), path, "the default file is under "
	    "XDG_CONFIG_HOME");
	is_str(config_str(&ag, "http.timeout"), "300", "defaults apply");
	is_int(config_int(&ag, "http.retries"), 3, "as numbers too");
	ok(config_origin(&ag, "http.timeout") == CFG_FROM_DEFAULT,
	    "and say where they come from");
	ok(config_str(&ag, "store.path") == NULL, "keys without a default "
	    "are NULL");
	ag_release(&ag);

	snprintf(path, sizeof(path), "%s/c.yaml", dir);
	write_file(path, "http:\n  timeout: 12\n  retries: 5\n"
	    "providers:\n  mine:\n    base_url: http://127.0.0.1:1/\n");
	setenv("AGENCY_CONFIG", path, 1);
	tap_agency(&ag, "t-config");
	is_str(config_path(&ag), path, "AGENCY_CONFIG names the file");
	ok(config_number(&ag, "http.timeout") == 12, "the file beats the "
	    "default");
	is_str(config_str(&ag, "providers.mine.base_url"),
	    "http://127.0.0.1:1/", "wildcard keys are read");
	config_children(&ag, "providers", &v);
	ok(v.n >= 5 && strcmp(v.v[0], "mine") == 0, "sections list their "
	    "names, from the file and the table (%zu)", v.n);
	ag_strv_release(&v);
	setenv("AGENCY_DB", "/tmp/from-env.db", 1);
	setenv("GROQ_BASE_URL", "http://127.0.0.1:2/", 1);
	ag_release(&ag);
	tap_agency(&ag, "t-config");
	is_str(config_str(&ag, "store.path"), "/tmp/from-env.db",
	    "the environment beats the file");
	is_str(config_str(&ag, "providers.groq.base_url"),
	    "http://127.0.0.1:2/", "base URLs come from the environment");
	ok(config_origin(&ag, "store.path") == CFG_FROM_ENV, "origin env");
	is_int(config_override(&ag, "store.path", "/tmp/flag.db"), AG_OK,
	    "a flag can override");
	is_str(config_str(&ag, "store.path"), "/tmp/flag.db",
	    "the flag beats the environment");
	is_int(config_override(&ag, "http.retries", "many"), AG_CONFIG,
	    "a flag of the wrong type is refused");
	is_str(ag.err, "http.retries: 'many' is not a whole number",
	    "saying why");
	is_int(config_override(&ag, "log.level", "loud"), AG_CONFIG,
	    "values outside a choice list are refused");
	is_int(config_override(&ag, "htp.timeout", "1"), AG_CONFIG,
	    "unknown keys are refused");
	is_str(ag.err, "unknown key 'htp.timeout' (did you mean "
	    "'http.timeout'?)", "with a suggestion");
	is_str(config_suggest("providers.gemni.base_url", sug, sizeof(sug)),
	    "providers.gemni.base_url", "a wildcard key matches any name");
	is_str(config_suggest("providers.gemini.baseurl", sug, sizeof(sug)),
	    "providers.gemini.base_url", "suggestions inside sections");
	ok(config_suggest("completely.different", sug, sizeof(sug)) == NULL,
	    "no suggestion when nothing is close");
	unsetenv("AGENCY_DB");
	unsetenv("GROQ_BASE_URL");

	is_int(config_set(&ag, "http.max_wait", "7"), AG_OK, "set writes");
	ag_read_file(&ag, path, 0, &b);
	ok(strstr(b.data, "  max_wait: 7\n") != NULL, "into its section");
	ok(stat(path, &sb) == 0, "the file is there");
	buf_release(&b);
	ag_release(&ag);
	tap_agency(&ag, "t-config");
	ok(config_number(&ag, "http.max_wait") == 7, "and reads back");
	ag_release(&ag);

	snprintf(path, sizeof(path), "%s/new/dir/c.yaml", dir);
	setenv("AGENCY_CONFIG", path, 1);
	tap_agency(&ag, "t-config");
	is_int(config_set(&ag, "plugins.path", "/opt/a:/opt/b"), AG_OK,
	    "set creates a missing file and its folders");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "with mode 0600 (%o)", sb.st_mode & 0777);
	is_int(config_set(&ag, "http", "1"), AG_CONFIG,
	    "a section cannot be set");
	ag_release(&ag);

	write_file(path, "http:\n  timeout: soon\n");
	is_int(config_load(&ag, path, 1), AG_CONFIG, "a bad value is a "
	    "config error");
	snprintf(sug, sizeof(sug), ":2:12: http.timeout: 'soon' is not a "
	    "number");
	ok(strstr(ag.err, sug) != NULL, "naming file:line:column: %s",
	    ag.err);
	config_free(ag.cfg);
	ag.cfg = NULL;
	write_file(path, "http: [1, 2\n");
	is_int(config_load(&ag, path, 1), AG_CONFIG, "malformed YAML is a "
	    "config error");
	ok(strstr(ag.err, "c.yaml:2:1: ") != NULL, "naming where: %s",
	    ag.err);
	config_free(ag.cfg);
	ag.cfg = NULL;
	write_file(path, "plugins:\n  path: [a, b]\n");
	is_int(config_load(&ag, path, 1), AG_CONFIG, "a list for a string "
	    "key is refused");
	config_free(ag.cfg);
	ag.cfg = NULL;
	is_int(config_load(&ag, "/nonexistent/x.yaml", 1), AG_CONFIG,
	    "a named file must exist");
	config_free(ag.cfg);
	ag.cfg = NULL;
	ok(config_load(&ag, "/nonexistent/x.yaml", 0) == AG_OK,
	    "the default file may be missing");
	config_list(&ag, "http.timeout", &v);
	ok(v.n == 1 && strcmp(v.v[0], "300") == 0, "config_list of a value");
	ag_strv_release(&v);
	config_free(ag.cfg);
	return done_testing();
}

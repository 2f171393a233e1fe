/*
 * config.h - configuration: YAML file, then environment, then flags.
 *
 * The file is --config FILE, else $AGENCY_CONFIG, else
 * $XDG_CONFIG_HOME/agency/config.yaml (~/.config/agency/config.yaml).
 * A missing file means the defaults; a --config file that does not exist
 * is an error.  Keys are dotted paths ("http.timeout",
 * "providers.gemini.base_url") declared once in configkeys.c with a
 * type, a default, an environment variable and one line of help; the
 * same table drives validation, "agency config list" and agency-config(5).
 *
 * Precedence, highest first: a flag (config_override), the key's
 * environment variable, the file, the default.  A malformed file is an
 * error naming file:line:column (AG_CONFIG, exit 78); a value of the
 * wrong type likewise; an unknown key is a warning with the closest
 * known key suggested.
 *
 * Strings returned are borrowed from the config (or the environment)
 * and live until the config is freed.
 */
#ifndef AG_CONFIG_H
#define AG_CONFIG_H

struct agency;
struct ag_strv;
struct config;

enum config_type {
	CFG_STRING,
	CFG_INT,
	CFG_NUMBER,
	CFG_BOOL,
	CFG_LIST,			/* YAML sequence; env and flags: a,b,c */
	CFG_SECTION			/* a mapping with keys of its own */
};

struct config_key {
	const char *name;		/* dotted; '*' matches one segment */
	enum config_type type;
	const char *def;		/* default as text, or NULL */
	const char *env;		/* environment variable, or NULL */
	const char *help;
	const char *choices;		/* "a,b,c" when only those are valid */
};

/* The table of known keys, ending with a NULL name (configkeys.c). */
extern const struct config_key config_keys[];

enum config_origin { CFG_FROM_DEFAULT, CFG_FROM_FILE, CFG_FROM_ENV,
    CFG_FROM_FLAG };

/* Load the config into ag->cfg (ag_init does this). */
int config_load(struct agency *ag, const char *file, int must_exist);
void config_free(struct config *cfg);

/* The path of the config file in use (it may not exist yet). */
const char *config_path(struct agency *ag);

/* The effective value of key as text, or NULL if unset with no default. */
const char *config_str(struct agency *ag, const char *key);
long long config_int(struct agency *ag, const char *key);
double config_number(struct agency *ag, const char *key);
int config_bool(struct agency *ag, const char *key);
/* A list key's items (borrowed); release the vector with ag_strv_release. */
void config_list(struct agency *ag, const char *key, struct ag_strv *out);
/* The names under a section key ("providers" -> gemini, groq, ...). */
void config_children(struct agency *ag, const char *key, struct ag_strv *out);
enum config_origin config_origin(struct agency *ag, const char *key);
const char *config_origin_name(enum config_origin o);

/* Set key for this run only (a flag); checks name and type. */
int config_override(struct agency *ag, const char *key, const char *value);
/* Write key: value into the config file, atomically, keeping the rest. */
int config_set(struct agency *ag, const char *key, const char *value);

/* The schema entry for key, or NULL if it is not a known key. */
const struct config_key *config_lookup_key(const char *key);
/* Check value against a key's type; 0 or -1 with ag->err set. */
int config_check_value(struct agency *ag, const struct config_key *k,
    const char *key, const char *value);
/* The closest known key to an unknown one (for "did you mean"), or NULL. */
const char *config_suggest(const char *key, char *buf, size_t len);

#endif

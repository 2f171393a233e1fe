/*
 * store.h - the shared store: one SQLite file used by every binary and
 * runner at once.
 *
 * The file is store.path (AGENCY_DB), default
 * $XDG_DATA_HOME/agency/agency.db, created 0600 in a 0700 folder on first
 * use.  Every connection runs in WAL mode with foreign keys on and a
 * busy handler that waits (with jittered short sleeps, fair between
 * processes) up to store.busy_timeout seconds, so "database is locked"
 * never reaches a user: a store busy for longer is AG_TEMPFAIL with a
 * message that says so.  Migrations run on open (migrate.c).
 *
 * Nothing outside lib/store writes SQL: the entity files (content.c,
 * assets.c, accounts.c, llm_calls.c, ...) are the interface, and rows
 * come back as cJSON objects owned by the caller.
 */
#ifndef AG_STORE_H
#define AG_STORE_H

#include <stdint.h>

struct agency;
struct store;
struct cJSON;

/* ag_store() - the context's store, opened (and migrated) on first use. */
int ag_store(struct agency *ag, struct store **out);

/* Open the store at path (NULL: from config); close with store_close(). */
int store_open(struct agency *ag, const char *path, struct store **out);
void store_close(struct store *st);
const char *store_path(const struct store *st);
/* The schema version (PRAGMA user_version). */
int store_version(struct store *st);
/* The number of migrations this program knows. */
int store_latest_version(void);

/*
 * Write transactions.  store_begin() takes the write lock at once
 * (BEGIN IMMEDIATE), so no transaction ever upgrades from read to write
 * (the deadlock huey#123 shipped).  They nest: only the outermost
 * begin/commit touch the database; a rollback at any depth rolls back.
 */
int store_begin(struct agency *ag, struct store *st);
int store_commit(struct agency *ag, struct store *st);
void store_rollback(struct store *st);

/* ------------------------------------------------------------------ */
/* content: scripts, EDLs and productions by content id. */

/* Insert or replace a document under id ("c_..."); kind from the doc. */
int content_put(struct agency *ag, struct store *st, const char *id,
    const struct cJSON *doc);
/* The stored document (new, caller frees); AG_NOINPUT if absent. */
int content_get(struct agency *ag, struct store *st, const char *id,
    struct cJSON **out);

/* assets: the media library, addressed by sha256. */
struct asset {
	const char *sha256;		/* 64 hex digits */
	const char *path;
	const char *kind;		/* image, video, audio, music, font */
	const char *mime;
	const char *tags;		/* space-separated words */
	const char *content_id;		/* NULL if not produced by us */
	int64_t bytes;
	double duration;		/* seconds; 0 if not media */
	int width, height;
};

/* Add an asset, or update the one with the same sha256; *id is its id. */
int assets_add(struct agency *ag, struct store *st, const struct asset *a,
    int64_t *id);
/* Assets whose kind matches (NULL: all) as a new JSON array. */
int assets_list(struct agency *ag, struct store *st, const char *kind,
    struct cJSON **out);
/* The asset with this sha256 as a new object; AG_NOINPUT if absent. */
int assets_get(struct agency *ag, struct store *st, const char *sha256,
    struct cJSON **out);

/* accounts: platform accounts ("youtube:main"), never their secrets. */
int accounts_put(struct agency *ag, struct store *st, const char *name,
    const struct cJSON *settings);
int accounts_get(struct agency *ag, struct store *st, const char *name,
    struct cJSON **out);
int accounts_remove(struct agency *ag, struct store *st, const char *name);
int accounts_list(struct agency *ag, struct store *st, struct cJSON **out);
/* state: active, paused, needs_reconnect; reason may be NULL. */
int accounts_set_state(struct agency *ag, struct store *st, const char *name,
    const char *state, const char *reason);

/* llm_calls: one row per request to a language model. */
struct llm_call {
	const char *provider, *model, *prompt_hash;
	const char *request, *response;	/* redacted here before storing */
	const char *outcome;		/* ok, error, retry, blocked, ... */
	const char *error;
	const char *run_id;		/* groups the calls of one run */
	const char *purpose;		/* script, repair, ideas, ... */
	int64_t tokens_in, tokens_out, latency_ms;
	long status;			/* HTTP status, 0 if none */
	double cost;
};

int llm_calls_add(struct agency *ag, struct store *st,
    const struct llm_call *c, int64_t *id);
/* The last n calls, newest first, as a new JSON array. */
int llm_calls_list(struct agency *ag, struct store *st, int n,
    struct cJSON **out);
int llm_calls_count(struct agency *ag, struct store *st, int64_t *out);

/*
 * llm_cooldown: a provider that ran out of quota is skipped by later
 * runs until a time (ms since the epoch).  set keeps the later of the
 * stored and the new time; get gives 0 and no reason when the provider
 * is not cooling down (*reason is new, free() it).
 */
int llm_cooldown_set(struct agency *ag, struct store *st,
    const char *provider, int64_t until_ms, const char *reason);
int llm_cooldown_get(struct agency *ag, struct store *st,
    const char *provider, int64_t *until_ms, char **reason);
int llm_cooldown_clear(struct agency *ag, struct store *st,
    const char *provider);

/*
 * llm_cache: a model's answer keyed by the hash of the request that
 * asked for it.  get returns AG_OK with *text new (free() it) on a hit,
 * AG_FALSE on a miss, and counts the hit.
 */
struct llm_cached {
	char *text;
	int64_t tokens_in, tokens_out;
};
int llm_cache_put(struct agency *ag, struct store *st, const char *key,
    const char *provider, const char *model, const char *text,
    int64_t tokens_in, int64_t tokens_out);
int llm_cache_get(struct agency *ag, struct store *st, const char *key,
    struct llm_cached *out);

#endif

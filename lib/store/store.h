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
/* The path ag_store() opens (config store.path or the default; new). */
char *store_configured_path(struct agency *ag);
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
/* Is name platform:name?  AG_USAGE saying so if not. */
int accounts_check_name(struct agency *ag, const char *name);
int accounts_put(struct agency *ag, struct store *st, const char *name,
    const struct cJSON *settings);
int accounts_get(struct agency *ag, struct store *st, const char *name,
    struct cJSON **out);
int accounts_remove(struct agency *ag, struct store *st, const char *name);
int accounts_list(struct agency *ag, struct store *st, struct cJSON **out);
/* state: active, paused, needs_reconnect; reason may be NULL. */
int accounts_set_state(struct agency *ag, struct store *st, const char *name,
    const char *state, const char *reason);

/*
 * uploads: the publish journal, one row per (content, account), so one
 * production is published at most once on each account.  A journal
 * moves pending -> uploading (session, sent) -> uploaded (media_id) ->
 * publishing (idem_key, publish_started_at) -> published (remote_id,
 * url, post); failed records a definite refusal, with what was learned
 * kept for the next attempt.  lib/platforms/upload.c drives it and says
 * why each step is recorded when it is.
 *
 * A struct upload_journal is a copy of the row: change its members and
 * uploads_save() writes them all back, as a compare-and-set on rev.  If
 * another process moved the row meanwhile the save is refused
 * (AG_TEMPFAIL) and nothing is written.  Strings are owned by the
 * struct (free()d by upload_journal_free; replace them with
 * upload_journal_set()); extra is an object owned by it.
 */
struct upload_journal {
	int64_t id;
	char *content_id, *account, *platform;
	char *state;			/* pending ... published, failed */
	char *session;			/* resumable session URI or id */
	int64_t sent;			/* bytes the server acknowledged */
	int64_t bytes;			/* of the file */
	char *media_id;			/* the uploaded media, once known */
	char *idem_key;			/* the publish's idempotency key */
	char *remote_id, *url;		/* the post, once published */
	char *error;			/* the last error, or NULL */
	char *file, *fingerprint;	/* what is uploaded */
	char *post;			/* the agency.post text, once published */
	char *schedule;			/* "ID:REVISION", or NULL */
	struct cJSON *extra;		/* the platform's notes (an object) */
	int64_t attempts;		/* publish attempts */
	int64_t created_at, updated_at;
	int64_t publish_started_at, published_at;	/* 0: not yet */
	int64_t rev;			/* bumped by every save */
};

void upload_journal_free(struct upload_journal *j);
/* Replace the string *field with a copy of v (NULL allowed). */
void upload_journal_set(char **field, const char *v);
/* The journal as a JSON object (new), for listings. */
struct cJSON *upload_journal_json(const struct upload_journal *j);

/*
 * uploads_open() - the journal of (content_id, account), created
 * "pending" with idem_key when there is none (the unique index decides
 * a race).  *out is new.
 */
int uploads_open(struct agency *ag, struct store *st, const char *content_id,
    const char *account, const char *platform, const char *idem_key,
    struct upload_journal **out);
/* The journal of (content_id, account); AG_NOINPUT when there is none. */
int uploads_get(struct agency *ag, struct store *st, const char *content_id,
    const char *account, struct upload_journal **out);
/* Write j back (see above); j->rev and j->updated_at follow. */
int uploads_save(struct agency *ag, struct store *st, struct upload_journal *j);
/* Delete a journal (agency-upload status --forget); AG_NOINPUT if none. */
int uploads_remove(struct agency *ag, struct store *st, int64_t id);

struct upload_filter {
	const char *account;		/* NULL: every account */
	const char *content_id;		/* NULL: all content */
	const char *const *states;	/* NULL-terminated, or NULL: any */
	int unfinished;			/* only those not published */
};

/* Call fn for each journal matching f, oldest first; fn borrows j and
 * returns a status (not AG_OK stops the walk and is returned). */
int uploads_list(struct agency *ag, struct store *st,
    const struct upload_filter *f,
    int (*fn)(void *arg, const struct upload_journal *j), void *arg);

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
 *
 * Cooldowns are rare, and asking the store costs a run its first access
 * (schema and WAL index, some 0.5 ms); so set also moves the mtime of a
 * hint file beside the store, STORE.cooldown, to the latest time any
 * cooldown ends, before it writes the row (no hint, no row: an error),
 * and llm_cooldown_maybe()
 * says whether one may be running now (0: none can be; 1: ask the
 * store).  No hint means no cooldown was ever set; a hint that cannot be
 * read, or a store in memory, means ask.
 */
int llm_cooldown_set(struct agency *ag, struct store *st,
    const char *provider, int64_t until_ms, const char *reason);
int llm_cooldown_get(struct agency *ag, struct store *st,
    const char *provider, int64_t *until_ms, char **reason);
int llm_cooldown_clear(struct agency *ag, struct store *st,
    const char *provider);
int llm_cooldown_maybe(struct agency *ag);

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

/* ------------------------------------------------------------------ */
/*
 * posts (schedule.c): the calendar's rows, one post to one account at
 * one time; lib/schedule is the interface (schedule/schedule.h).  Times
 * are ms since the epoch; rows come back as objects keyed by column.
 * Changes are compare-and-set: a function that changes a post names the
 * state (and revision, or job) it must still be in, and returns AG_FALSE
 * when it is not, so two ticks, or a tick and an "rm", never both win.
 */
struct post_new {
	const char *content_id;
	const char *account;
	int64_t at;			/* the instant */
	const char *tz;			/* IANA zone */
	const char *local;		/* the wall time in tz */
	const char *rrule;		/* NULL: not recurring */
	const char *caption;		/* NULL: the production's */
	const char *state;		/* scheduled or blocked */
	const char *reason;
	int64_t series;			/* 0: its own (if rrule) */
	int64_t seq;			/* 0: 1 */
	const char *dtstart;		/* the series' first wall time */
	const char *occurrence;		/* the rule's wall time of this one */
	int slot;			/* placed in a posting slot */
};

int posts_add(struct agency *ag, struct store *st, const struct post_new *p,
    int64_t *id);
/* The row of a post; AG_NOINPUT if there is none. */
int posts_get(struct agency *ag, struct store *st, int64_t id,
    struct cJSON **out);

struct post_filter {
	int64_t from, to;		/* at in [from, to); 0: open */
	const char *account;		/* NULL: any */
	const char *states;		/* JSON array text, or NULL: any */
	int64_t series;			/* 0: any */
};

/* Call fn for each row in (at, id) order, in pages (fn may use the
 * store); a status other than AG_OK from fn stops the walk. */
int posts_list(struct agency *ag, struct store *st,
    const struct post_filter *f,
    int (*fn)(void *arg, const struct cJSON *row), void *arg);
/* Posts scheduled at or before now, oldest first, at most limit. */
int posts_due(struct agency *ag, struct store *st, int64_t now, int64_t limit,
    struct cJSON **rows);
/* Posts blocked with at in [from, to]. */
int posts_blocked(struct agency *ag, struct store *st, int64_t from,
    int64_t to, struct cJSON **rows);
/* Posts queued, with their jobs (id, job_id, revision, account). */
int posts_queued(struct agency *ag, struct store *st, struct cJSON **rows);
/* When the next scheduled post is due; AG_FALSE if none is. */
int posts_next_due(struct agency *ag, struct store *st, int64_t *at);
/* The instants of the account's posts from from on that hold a slot
 * (not cancelled), sorted, as a new array. */
int posts_taken(struct agency *ag, struct store *st, const char *account,
    int64_t from, int64_t **out, size_t *n);

/* from (scheduled or blocked) at revision -> queued with job. */
int posts_set_queued(struct agency *ag, struct store *st, int64_t id,
    int64_t revision, const char *from, int64_t job, int64_t now);
/* from -> to, with a reason (NULL clears it). */
int posts_set_state(struct agency *ag, struct store *st, int64_t id,
    const char *from, const char *to, const char *reason, int64_t now);
/* A queued post's job ended: to posted (with remote_id, url), failed or
 * cancelled, if it is still queued with that job. */
int posts_job_ended(struct agency *ag, struct store *st, int64_t id,
    int64_t job, const char *to, const char *reason, const char *remote_id,
    const char *url, int64_t now);
/*
 * posts_revise() - a new revision of a post: to (scheduled or cancelled),
 * at a new time when at > 0 (with tz and local), the job forgotten (an
 * upload job of the old revision is refused by schedule_post_live()).
 * from is a JSON array text of the states it may be in.
 */
int posts_revise(struct agency *ag, struct store *st, int64_t id,
    const char *from, const char *to, const char *reason, int64_t at,
    const char *tz, const char *local, int64_t now);
/* Every post of account in state from goes to to (with reason); *n. */
int posts_account_state(struct agency *ag, struct store *st,
    const char *account, const char *from, const char *to,
    const char *reason, int64_t now, int64_t *n);

/* Posting slots per account. */
int account_slots_put(struct agency *ag, struct store *st, const char *account,
    const char *spec, const char *tz);
/* {account, spec, tz, updated_at}; AG_NOINPUT if the account has none. */
int account_slots_get(struct agency *ag, struct store *st, const char *account,
    struct cJSON **out);
int account_slots_list(struct agency *ag, struct store *st,
    struct cJSON **out);
int account_slots_remove(struct agency *ag, struct store *st,
    const char *account);

/* ------------------------------------------------------------------ */
/*
 * jobs: the queue's rows.  lib/queue is the interface (queue.h); these
 * are its statements, so another backend (PostgreSQL, with FOR UPDATE
 * SKIP LOCKED in jobs_claim) replaces this file and leases.c alone.
 * Times are ms since the epoch; JSON travels as text.  Every function
 * that changes more than one row does it in one store_begin()
 * transaction of its own (nesting inside the caller's, if any).
 */

/* A job to add. */
struct job_new {
	const char *type;
	const char *args;		/* JSON array text */
	const char *input;		/* the input document's text, or NULL */
	const char *queue;
	const char *unique_key;		/* NULL: none */
	int64_t priority;
	int64_t run_at;
	int64_t max_attempts;
	double timeout;			/* seconds; 0: none; < 0: config */
	const int64_t *after;		/* jobs that must be done first */
	size_t nafter;
	int64_t input_from;		/* 0, or the job whose result it takes */
};

/*
 * jobs_add() - insert a job, or find the queued, running or failed job
 * that holds the same unique key (the unique index decides: no race).
 * *existed says which.  A job in after[] that is dead or cancelled
 * makes the new job cancelled at once (retrying that one revives it);
 * one that does not exist is AG_NOINPUT.
 */
int jobs_add(struct agency *ag, struct store *st, const struct job_new *j,
    int64_t *id, int *existed);

/* The row of a job as an object (full: with input, result, attempts[]);
 * AG_NOINPUT if there is no such job. */
int jobs_get(struct agency *ag, struct store *st, int64_t id, int full,
    struct cJSON **out);

struct job_filter {
	const char *states;		/* JSON array text, or NULL: any */
	const char *types;		/* JSON array text, or NULL: any */
	const char *queues;		/* JSON array text, or NULL: any */
	int64_t since;			/* created at or after; 0: any */
	int64_t limit;			/* 0: no limit */
};

/* Call fn for each job row in id order; fn owns nothing, returns a
 * status (not AG_OK stops the walk and is returned). */
int jobs_list(struct agency *ag, struct store *st, const struct job_filter *f,
    int (*fn)(void *arg, const struct cJSON *row), void *arg);

/* The states of the jobs in ids (JSON array text) as a new object
 * {"ID": "state"}; jobs that do not exist are left out. */
int jobs_states(struct agency *ag, struct store *st, const char *ids,
    struct cJSON **out);

/* Cancel a queued, failed or running job (a runner notices at its next
 * heartbeat) and the jobs that wait for it.  AG_NOINPUT: no such job;
 * AG_DATAERR: it has ended already. */
int jobs_cancel(struct agency *ag, struct store *st, int64_t id,
    int64_t now);
/* Queue a dead, failed or cancelled job again now, with a fresh count
 * of failures, and the jobs cancelled because of it. */
int jobs_retry(struct agency *ag, struct store *st, int64_t id, int64_t now);
/* The ids of every dead job, as a new JSON array. */
int jobs_dead(struct agency *ag, struct store *st, struct cJSON **out);
/*
 * jobs_purge() - delete jobs in one of states (JSON array text of done,
 * dead, cancelled) that ended before before, with their attempts,
 * except those whose result a job still waiting needs.  The ids
 * deleted come back as a new JSON array.
 */
int jobs_purge(struct agency *ag, struct store *st, int64_t before,
    const char *states, struct cJSON **ids);

/* One attempt of a job (n 0: the last) as an object; AG_NOINPUT when the
 * job has no such attempt. */
int jobs_attempt(struct agency *ag, struct store *st, int64_t id, int64_t n,
    struct cJSON **out);

struct job_stats {
	int64_t states[6];		/* queued running done failed dead
					   cancelled */
	int64_t attempts, done, failed;	/* attempts ended since */
	int64_t first_start, last_end;	/* of those attempts */
	int64_t *wait_ms, *run_ms;	/* sorted; free() them */
	size_t nwait, nrun;
};

int jobs_stats(struct agency *ag, struct store *st, int64_t since,
    struct job_stats *out);

/* --- leases.c: the lease protocol (see the comment atop leases.c) --- */

/* At most max jobs of this type (or queue) running at once, anywhere. */
struct job_limit {
	int queue;			/* 0: a type's limit, 1: a queue's */
	const char *name;
	int64_t max;
};

struct job_claim {
	int64_t now;
	int64_t lease_ms;
	const char *runner;		/* host:pid */
	const char *host;
	const char *const *queues;	/* take jobs of these queues only */
	size_t nqueues;			/* 0: any queue */
	const struct job_limit *limits;
	size_t nlimits;
};

/* A claimed job; free with job_free(). */
struct job {
	int64_t id;
	char *type, *queue;
	char *args;			/* JSON array text */
	char *input;			/* text, or NULL: none */
	int64_t attempt;		/* this attempt's number: the fence */
	int64_t failures, max_attempts;
	double timeout;			/* 0: none; < 0: not set on the job */
};

void job_free(struct job *j);

/* Lease the best runnable job; *out is NULL when there is none. */
int jobs_claim(struct agency *ag, struct store *st, const struct job_claim *c,
    struct job **out);
/* Record the child of an attempt: its pid (= group), start time, log. */
int jobs_started(struct agency *ag, struct store *st, int64_t id,
    int64_t attempt, int64_t pid, int64_t pstart, const char *log);

struct job_lease {
	int64_t id, attempt;
	int lost;			/* out: cancelled or taken over */
};

/* Extend the leases of running jobs to until; those no longer ours get
 * lost set. */
int jobs_renew(struct agency *ag, struct store *st, struct job_lease *v,
    size_t n, int64_t until);

/* How an attempt ended and what becomes of the job. */
struct job_end {
	int64_t id, attempt, now;
	const char *outcome;		/* done failed timeout tempfail
					   cancelled interrupted */
	const char *state;		/* done failed dead queued */
	int64_t run_at;			/* failed/queued: when to run again */
	int failure;			/* 1: it uses up one of max_attempts */
	const char *result;		/* done: the output, or NULL */
	const char *error;
	int exit_code;			/* -1: none */
	int signal;
};

/* Record the end of an attempt.  *ours is 0 when the lease was lost
 * (cancelled, or reaped and taken over): the attempt is recorded but
 * the job is left as it is. */
int jobs_finish(struct agency *ag, struct store *st, const struct job_end *e,
    int *ours);

/*
 * jobs_reap() - end the leases that expired before now, but those of
 * owner (a runner never reaps itself; NULL: reap all): each such
 * attempt is "lost" and counts as a failure; the job is queued again,
 * or dead after max_attempts.  The lost attempts (job_id, n, runner,
 * host, pid, pstart) come back as a new JSON array, so that a runner on
 * the same host can kill what its dead colleague left running.
 */
int jobs_reap(struct agency *ag, struct store *st, int64_t now,
    const char *owner, struct cJSON **lost);

#endif

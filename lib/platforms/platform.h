/*
 * platform.h - one interface for every place agency-upload publishes
 * to, and the engine that drives any of them through the journal.
 *
 * A platform is one file, lib/platforms/NAME.c, that defines one
 * const struct platform_ops and is listed once in registry.c.  It knows
 * its wire protocol and nothing else: accounts, tokens, the journal,
 * retries of the whole publish, the schedule guard, progress, dry runs
 * and output are the engine's (upload.c).  The engine calls, in order:
 *
 *	validate	the media against the target's limits, before any
 *			byte is sent (NULL: platform_check_media() with
 *			ops->limits, which is what most platforms want)
 *	find_existing	only after a crash or an unknown outcome in
 *			"publishing": is the post there already?
 *	upload		send the media, resumably
 *	publish		the one step that makes the post exist
 *	status		(agency-upload status --remote) where the post
 *			stands now, on the platform
 *
 * The journal (store.h, struct upload_journal, in c->j) is the
 * contract between them.  Its state moves
 *
 *	pending -> uploading (session, sent) -> uploaded (media_id)
 *		-> publishing (idem_key, started) -> published (remote_id, url)
 *
 * and the engine saves it before and after each step.  Inside upload()
 * the platform records what it learns the moment it learns it, with
 * upload_save(): a session id or URI before the first byte goes out
 * (so a killed run resumes instead of starting over), the offset the
 * server acknowledged after each chunk.  upload() must resume from
 * what the journal says: c->j->session and c->j->sent are those of the
 * last run, if any; ask the server where it stands rather than trust
 * c->j->sent (it may have kept less, or more).  On success it sets
 * c->j->media_id (upload_journal_set) to whatever publish() needs.
 *
 * publish() is the only step that must not happen twice.  Its status
 * tells the engine what it knows:
 *	AG_OK		the post exists: c->remote_id and c->url are set
 *	AG_TEMPFAIL	the outcome is unknown (the connection dropped after
 *			the request went out, a 5xx) or the server asked us
 *			to come back later: the journal stays "publishing"
 *			and find_existing() is asked before any retry
 *	anything else	the platform refused, definitely (a 4xx): nothing
 *			was created, the journal becomes "failed" with the
 *			message, and the next run may publish again
 * A platform with real idempotency (S3 If-None-Match, a Bluesky record
 * key we choose, Mastodon's Idempotency-Key, the dir target's rename,
 * YouTube's videos.update) sets PF_IDEMPOTENT: then a publish whose
 * outcome is unknown is simply sent again (its publish() must take
 * "already there" as success), and find_existing() is never asked by
 * the engine.  Otherwise find_existing() looks for c->marker, a stable
 * string per (content, account) that the platform put where it echoes
 * it back (YouTube tags or description, a TikTok title).  It returns
 * AG_OK with c->remote_id and c->url set when the post is there,
 * AG_FALSE when it is certainly not, or an error when it cannot tell
 * (then the engine exits 75 and nothing is sent).
 *
 * Requests go through upload_send(), never http_request() directly: it
 * adds the account's token (UP_AUTH) and refreshes it once on a 401
 * (lib/net/oauth.c: refresh before expiry, rotation, a dead refresh
 * token marks the account needs_reconnect), waits out short rate
 * limits and turns long ones into AG_TEMPFAIL (exit 75, the queue
 * retries later), prints the request instead of sending it in a dry
 * run, and moves the progress bar as a file body goes out.  Bodies
 * from files are streamed from disk (http.h), never read into memory.
 *
 * Errors are ag_fail() messages as everywhere: "youtube:main:
 * videos.insert: 400 invalidTitle: ..." (the platform's own words,
 * verbatim, after the step); upload_http_error() builds them.
 *
 * Ownership: a ctx and everything in it belong to the engine;
 * platforms borrow, except remote_id and url (set them with
 * upload_journal_set(&c->remote_id, ...)) and c->post (add members).
 *
 * HOW TO ADD A PLATFORM (see also tests/servers/platformfake.py):
 *  1. lib/platforms/NAME.c: the ops, its settings[] (endpoints with
 *     real defaults, so tests can point them at 127.0.0.1), its
 *     media_limits (../shared/reference/video.md §6), its auth kind
 *     and, for OAuth, its oauth defaults; upload/publish/find_existing
 *     per ../shared/reference/platforms.md.
 *  2. registry.c: one line in the table.
 *  3. tests/servers/fake_NAME.py on platformfake.py: the protocol and
 *     the faults of the platform's checklist.
 *  4. tests/cli/8NNN-agency-upload-NAME.t: the happy path, every fault,
 *     a kill -9 in each step then a re-run, the exit codes.
 *  5. man/agency-upload.1: an EXAMPLES entry and the settings.
 */
#ifndef AG_PLATFORM_H
#define AG_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "core/progress.h"
#include "media/probe.h"
#include "net/http.h"
#include "net/oauth.h"

struct agency;
struct cJSON;
struct upload_ctx;
struct upload_journal;

/* How an account proves who it is (agency-upload auth). */
enum platform_auth {
	PLATFORM_AUTH_NONE,		/* dir: nothing to keep */
	PLATFORM_AUTH_OAUTH,		/* authorization code + PKCE */
	PLATFORM_AUTH_TOKEN,		/* an access token, read on stdin */
	PLATFORM_AUTH_PASSWORD,		/* --user and a password on stdin */
	PLATFORM_AUTH_KEYS,		/* --user KEY_ID, a secret on stdin */
	PLATFORM_AUTH_SECRET		/* a shared secret on stdin */
};

enum platform_flags {
	PF_IDEMPOTENT = 1 << 0		/* publish may be sent again */
};

/* A setting an account takes (agency-upload accounts add --set). */
struct platform_setting {
	const char *name;
	const char *def;		/* the default, or NULL */
	const char *help;
	unsigned flags;			/* enum setting_flags */
};

enum setting_flags {
	SETTING_REQUIRED = 1 << 0,	/* accounts add refuses without it */
	SETTING_SECRET = 1 << 1		/* kept in the credentials file */
};

/*
 * What a target accepts.  0 (or NULL) means no limit.  containers,
 * vcodecs and acodecs are comma-separated names as media_probe() gives
 * them (format "mp4" matches the demuxer "mov,mp4,m4a,..."); a frame
 * larger than max_width x max_height names rendition in the error.
 */
struct media_limits {
	double min_duration, max_duration;	/* seconds */
	int64_t min_bytes, max_bytes;
	int min_width, min_height, max_width, max_height;
	double min_fps, max_fps;
	const char *containers;
	const char *vcodecs;
	const char *acodecs;
	int faststart;			/* moov before mdat */
	int no_edit_lists;
	const char *rendition;		/* "720x1280": what fits */
};

/* OAuth endpoints and the like; account settings override them. */
struct platform_oauth {
	const char *auth_url;
	const char *token_url;
	const char *scope;
	const char *extra;		/* more authorize parameters */
	const char *id_param;		/* NULL: client_id */
	int basic;			/* client auth with HTTP Basic */
	int hex_challenge;
	int no_pkce;			/* the server takes no PKCE */
};

struct platform_ops {
	const char *name;		/* "youtube": the account prefix */
	const char *summary;		/* one line for --help and the page */
	enum platform_auth auth;
	unsigned flags;			/* enum platform_flags */
	const struct platform_setting *settings;	/* NULL-name ended */
	const struct media_limits *limits;
	const struct platform_oauth *oauth;	/* PLATFORM_AUTH_OAUTH */
	int (*validate)(struct upload_ctx *c);
	int (*upload)(struct upload_ctx *c);
	int (*publish)(struct upload_ctx *c);
	int (*find_existing)(struct upload_ctx *c);
	int (*status)(struct upload_ctx *c, struct cJSON **out);
};

/* registry.c: the platforms, by name; NULL-ended. */
extern const struct platform_ops *const platform_list[];
const struct platform_ops *platform_by_name(const char *name);

/* One publish of one production to one account, as the engine sees it. */
struct upload_ctx {
	struct agency *ag;
	const struct platform_ops *ops;
	const char *account;		/* "youtube:main" */
	const char *name;		/* "main" */
	const struct cJSON *settings;	/* the account's (store) */
	struct cJSON *cred;		/* its secrets (cred.h), or NULL */
	struct upload_journal *j;	/* the journal of this publish */
	/* What to publish: the production, the flags applied. */
	const struct cJSON *production;
	const char *content_id;
	const char *video;		/* absolute path */
	const char *thumbnail, *srt, *vtt;	/* NULL when there is none */
	const char *title, *description;
	const char *const *tags;
	size_t ntags;
	const char *marker;		/* "agency-<16 hex>", the idem key */
	int made_for_kids;		/* 0 or 1 */
	const char *privacy;		/* NULL: the account's setting */
	const struct media_probe *probe;
	int64_t bytes;			/* of the video */
	int dry_run;
	int transcode;			/* --transcode was given */
	/* The post: publish() and find_existing() fill these. */
	char *remote_id, *url;
	struct cJSON *post;		/* members for the agency.post */
	/* The engine's. */
	struct ag_progress progress;
	int progress_on;
	int64_t progress_base;		/* file offset of the body in flight */
	char *token;			/* the bearer token in use */
	int refreshed;			/* a 401 refresh was spent */
	char *rendition;		/* --transcode's file, when made */
	struct media_probe rprobe;	/* and its probe */
	int later;			/* AG_TEMPFAIL means "come back
					 * later", not "maybe": no retry */
	void (*on_request)(void *arg, const char *text);
	void *request_arg;
};

/* A setting: the account's, else config platforms.NAME.KEY, else the
 * platform's default.  NULL when none. */
const char *upload_setting(struct upload_ctx *c, const char *name);
/* The same as a boolean (true/yes/on/1) or a whole number (def when
 * unset or not one). */
int upload_setting_bool(struct upload_ctx *c, const char *name, int def);
long long upload_setting_int(struct upload_ctx *c, const char *name,
    long long def);
/* A secret from the account's credentials, or NULL. */
const char *upload_secret(struct upload_ctx *c, const char *name);

/* Save the journal now (nothing in a dry run). */
int upload_save(struct upload_ctx *c);
/* The server acknowledged offset bytes: journal and progress bar. */
int upload_sent(struct upload_ctx *c, int64_t offset);

enum upload_send_flags {
	UP_AUTH = 1 << 0,		/* Authorization: Bearer TOKEN */
	UP_NO_WAIT = 1 << 1		/* return rate limits, do not wait */
};

/* What a dry run pretends the server answered (NULL: 200 and {}). */
struct upload_dry {
	long status;
	const char *headers;		/* "Name: value\r\n..." */
	const char *body;
};

/*
 * upload_send() - send req (see above) and fill resp, which the caller
 * releases.  AG_OK when a response arrived (read resp->status; a 401
 * that survived the refresh is still AG_OK for the caller to report).
 * AG_TEMPFAIL for a rate limit longer than http.max_wait, AG_NOPERM
 * when the account needs reconnecting, and http_request()'s errors.
 * req->headers must leave room: UP_AUTH adds one header.
 */
int upload_send(struct upload_ctx *c, struct http_request *req,
    unsigned flags, const struct upload_dry *dry,
    struct http_response *resp);

/*
 * upload_token() - the account's access token (OAuth: refreshed when it
 * is about to expire), for a platform that sends it another way than
 * "Authorization: Bearer" (Instagram's "OAuth TOKEN").  Borrowed from c.
 */
int upload_token(struct upload_ctx *c, const char **token);

/*
 * upload_wait() - a rate limit the platform signals in its own way
 * (YouTube's 403 rateLimitExceeded, Meta's codes): sleep seconds and
 * return AG_OK when that is at most http.max_wait, else AG_TEMPFAIL
 * with why and the wait in the message.
 */
int upload_wait(struct upload_ctx *c, double seconds, const char *why);

/*
 * upload_poll() - wait for media the platform is processing: call
 * check(c, arg) every upload.poll_interval seconds until it returns
 * something else than AG_FALSE ("not yet"), which is returned; after
 * upload.poll_timeout seconds, AG_TEMPFAIL (exit 75: the next run
 * polls again).  what names the wait in messages.  A dry run checks
 * once.
 */
int upload_poll(struct upload_ctx *c, const char *what,
    int (*check)(struct upload_ctx *c, void *arg), void *arg);

/*
 * upload_json() - send req (a fresh copy of it for each attempt, with
 * UP_AUTH) and on a 200 set *out to the JSON answer (new; AG_TEMPFAIL
 * when it is not JSON).  Any other answer goes to the platform's
 * trouble(c, step, resp, tries, &again), which returns the status and
 * sets again when the same request should go once more (a rate limit
 * that was waited out).  In a dry run the answer is dry_body.
 */
int upload_json(struct upload_ctx *c, const struct http_request *req,
    const char *step, const char *dry_body,
    int (*trouble)(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int tries, int *again),
    struct cJSON **out);

/*
 * upload_backoff() - a 5xx the step may send again after: say so (an
 * info line) and sleep before the next try, tries being how many went
 * before (0.1 s doubling to 2 s at the most, jittered).
 */
void upload_backoff(struct upload_ctx *c, const char *step,
    const struct http_response *resp, int tries);

/* Retry classes (platforms.md §0.2) of a response. */
enum upload_class {
	UC_OK,				/* 2xx (and 3xx) */
	UC_TRANSIENT,			/* 5xx, 408: resume or probe */
	UC_RATE,			/* 429 */
	UC_AUTH,			/* 401 */
	UC_PERMANENT			/* other 4xx */
};
enum upload_class upload_classify(const struct http_response *resp);

/*
 * upload_http_error() - record "ACCOUNT: STEP: STATUS MESSAGE" for a
 * response the platform did not expect, message being the platform's
 * own (detail, else the JSON error message, else the body's start),
 * with the status the class implies: AG_TEMPFAIL (transient, rate),
 * AG_NOPERM (auth), AG_DATAERR (permanent).
 */
int upload_http_error(struct upload_ctx *c, const char *step,
    const struct http_response *resp, const char *detail);

/*
 * upload_crash() - a test hook: when AGENCY_TEST_CRASH names point
 * (comma-separated; "point@N" for the Nth time), the process kills
 * itself with SIGKILL there, as a power cut would.  Engine points:
 * before-upload, uploaded, publishing, published; platforms add their
 * own ("youtube-session").
 */
void upload_crash(struct upload_ctx *c, const char *point);

/* media.c: the generic check of a probe against limits (exit 65). */
int platform_check_media(struct upload_ctx *c, const struct media_limits *l);

/* Small helpers the platforms share (common.c). */
/* The file name of path: what follows its last '/' (borrowed from it). */
const char *upload_base_name(const char *path);
/* The text of the first <tag>...</tag> in xml at or after *from (an XML
 * answer from S3), as a new string; *from moves past it.  NULL when
 * there is none. */
char *upload_xml_text(const char *xml, const char *tag, const char **from);
/* The message of an error answer: JSON error.message / error_description
 * / message / error, or an XML <Message>, or the body's first line. */
void upload_error_message(const struct http_response *resp, char *buf,
    size_t len);
/*
 * upload_status_doc() - what a status op answers, as a new object:
 * {"exists": exists}, then member: value (stolen) when value is not
 * NULL, else "error": error when error is not NULL.  member may be
 * NULL (then so is value) for a platform that adds its own members.
 */
struct cJSON *upload_status_doc(int exists, const char *member,
    struct cJSON *value, const char *error);

/* ------------------------------------------------------------------ */
/* The engine (upload.c). */

enum upload_stage {
	UPLOAD_BEFORE_UPLOAD,		/* before the first byte is sent */
	UPLOAD_BEFORE_PUBLISH		/* just before the post is made */
};

struct upload_args {
	const struct cJSON *production;	/* agency.production, borrowed */
	const char *name;		/* where it came from, for messages */
	const char *const *to;		/* accounts, NULL-ended */
	/* Overrides of the production's captions. */
	const char *title, *description;
	const char *const *tags;	/* NULL-ended, or NULL */
	int made_for_kids;		/* -1: the account's setting */
	const char *privacy;		/* NULL: the account's setting */
	int dry_run;
	int transcode;
	/*
	 * The schedule guard.  With schedule set ("ID:REVISION", from
	 * agency-schedule), schedule_live() is asked before any byte is
	 * sent and again just before publishing: AG_OK means go on,
	 * AG_FALSE (why filled) means the post was cancelled, moved or
	 * edited meanwhile: the engine prints an agency.post with state
	 * "cancelled" and goes on with the next target, status 0.  Any
	 * other status is an error of the check itself.
	 */
	const char *schedule;
	int (*schedule_live)(struct agency *ag, void *arg,
	    const char *schedule, const char *account,
	    enum upload_stage stage, char *why, size_t whylen);
	void *schedule_arg;
	/* Each agency.post as it is decided (borrowed for the call). */
	int (*emit)(struct agency *ag, void *arg, const struct cJSON *post);
	void *emit_arg;
	/* A dry run's requests, as text, secrets redacted. */
	void (*on_request)(void *arg, const char *text);
	void *request_arg;
};

/*
 * upload_run() - publish a production to every account of a->to, one
 * after another: each gets its journal, its agency.post (published,
 * cancelled, failed, retry or planned) and, on failure, its error line
 * through ag->err; the run goes on past a failed target and returns
 * the worst status (failed: ag->err holds the last error).
 */
int upload_run(struct agency *ag, const struct upload_args *a);

/*
 * upload_resume() - go on with every unfinished journal (of the
 * accounts in a->to, or all), with the production stored when it was
 * first published; a's other members apply as for upload_run, but the
 * schedule is each journal's own (the guard of the entry that started
 * it is asked again).
 */
int upload_resume(struct agency *ag, const struct upload_args *a);

/*
 * upload_journals() - the journals (agency-upload status), of accounts
 * (NULL-ended; NULL or empty: all), each as a JSON object for fn to
 * borrow.  With remote, the platform is asked about each published
 * post (its status op): the row gains "remote" (what it said) or
 * "remote_error".
 */
int upload_journals(struct agency *ag, const char *const *accounts,
    int unfinished, int remote, int (*fn)(void *arg, const struct cJSON *row),
    void *arg);

/* ------------------------------------------------------------------ */
/* Accounts (account.c).  Settings are "key=value" strings. */

int platform_account_add(struct agency *ag, const char *account,
    const char *const *settings, size_t n, struct cJSON **out);
int platform_account_remove(struct agency *ag, const char *account);
/* Every account as a new array of objects (no secrets). */
int platform_account_list(struct agency *ag, struct cJSON **out);

struct platform_auth_args {
	const char *account;
	const char *user;		/* --user: identifier or key id */
	const char *secret;		/* the secret read from stdin */
	int refresh;			/* --refresh: refresh now, to check */
	int port;			/* --port: the redirect's port */
	double timeout;			/* seconds to wait for the browser */
	void (*show)(void *arg, const char *url);	/* the URL to open */
	void *show_arg;
};

/* agency-upload auth: store the account's credentials and make it
 * active; *out is the account (new). */
int platform_account_auth(struct agency *ag,
    const struct platform_auth_args *a, struct cJSON **out);

/*
 * platform_account_open() - an account ready to publish: its platform,
 * its settings (*settings new) and credentials (*cred new, NULL for
 * PLATFORM_AUTH_NONE).  A dir account that was never added is added
 * with its defaults.  AG_CONFIG for an unknown platform or account,
 * AG_NOPERM (and the account marked needs_reconnect) when credentials
 * are missing or unreadable, or the account is marked so already.  With
 * dry set nothing is written to the store.
 */
int platform_account_open(struct agency *ag, const char *account, int dry,
    const struct platform_ops **ops, struct cJSON **settings,
    struct cJSON **cred);
/* Mark an account needs_reconnect with reason (and log it). */
void platform_account_broken(struct agency *ag, const char *account,
    const char *reason);
/* The OAuth client of an account (strings borrowed from settings, cred,
 * ops and the config; valid while they are). */
void platform_oauth_client(struct agency *ag, const struct platform_ops *ops,
    const struct cJSON *settings, const struct cJSON *cred,
    struct oauth_client *out);
/* A setting without a ctx: settings, then config, then the default. */
const char *platform_setting(struct agency *ag, const struct platform_ops *ops,
    const struct cJSON *settings, const char *name);

#endif

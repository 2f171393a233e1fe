/*
 * migrate.c - the schema, as numbered steps.
 *
 * Protocol.  PRAGMA user_version is the number of steps applied.  On
 * every open we read it; for each missing step we take the write lock
 * (BEGIN IMMEDIATE), read the version again (another process may have
 * migrated while we waited), apply the step and set the version in the
 * same transaction.  So steps are applied exactly once, in order, even
 * when eight processes open a brand-new store together, and a failed
 * step leaves the store as it was.  A store whose version is beyond our
 * last step was written by a newer program: we refuse it rather than
 * guess.
 *
 * Steps are append-only.  Never edit one that has shipped; add a new
 * one (ALTER TABLE ... ADD COLUMN, CREATE INDEX) at the end.  Times are
 * milliseconds since the epoch (UTC) in INTEGER columns named *_at.
 */
#include "db.h"

static const char *const steps[] = {
	/* 1: the first tables, mirroring the seed's models. */
	"CREATE TABLE content ("
	"  id TEXT PRIMARY KEY,"		/* c_<hash> */
	"  kind TEXT NOT NULL,"			/* agency.script, ... */
	"  title TEXT,"
	"  doc TEXT NOT NULL,"			/* the JSON document */
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE assets ("
	"  id INTEGER PRIMARY KEY,"
	"  sha256 TEXT NOT NULL UNIQUE,"
	"  path TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  mime TEXT,"
	"  bytes INTEGER NOT NULL DEFAULT 0,"
	"  duration REAL NOT NULL DEFAULT 0,"
	"  width INTEGER NOT NULL DEFAULT 0,"
	"  height INTEGER NOT NULL DEFAULT 0,"
	"  tags TEXT NOT NULL DEFAULT '',"
	"  content_id TEXT REFERENCES content(id) ON DELETE SET NULL,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX assets_kind ON assets(kind);"
	"CREATE TABLE accounts ("
	"  name TEXT PRIMARY KEY,"		/* platform:name */
	"  platform TEXT NOT NULL,"
	"  settings TEXT NOT NULL DEFAULT '{}',"	/* JSON, no secrets */
	"  state TEXT NOT NULL DEFAULT 'active'"
	"    CHECK (state IN ('active','paused','needs_reconnect')),"
	"  reason TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  type TEXT NOT NULL,"
	"  args TEXT NOT NULL DEFAULT '[]',"	/* JSON array */
	"  input TEXT,"				/* the input document */
	"  result TEXT,"			/* the result document */
	"  queue TEXT NOT NULL DEFAULT 'default',"
	"  state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN"
	"    ('queued','running','done','failed','dead','cancelled')),"
	"  priority INTEGER NOT NULL DEFAULT 0,"
	"  run_at INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  max_attempts INTEGER NOT NULL DEFAULT 3,"
	"  timeout REAL,"			/* seconds */
	"  unique_key TEXT,"
	"  lease_until INTEGER,"
	"  lease_owner TEXT,"
	"  error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  finished_at INTEGER"
	") STRICT;"
	"CREATE UNIQUE INDEX jobs_unique ON jobs(unique_key)"
	"  WHERE unique_key IS NOT NULL AND state IN ('queued','running');"
	"CREATE INDEX jobs_ready ON jobs(queue, priority DESC, run_at, id)"
	"  WHERE state IN ('queued','failed');"
	"CREATE INDEX jobs_lease ON jobs(lease_until) WHERE state = 'running';"
	"CREATE TABLE schedule ("
	"  id INTEGER PRIMARY KEY,"
	"  content_id TEXT NOT NULL REFERENCES content(id),"
	"  account TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"		/* the UTC instant, ms */
	"  tz TEXT NOT NULL,"			/* IANA zone */
	"  local TEXT NOT NULL,"		/* wall time in tz */
	"  rrule TEXT,"
	"  caption TEXT,"
	"  state TEXT NOT NULL DEFAULT 'scheduled' CHECK (state IN"
	"    ('scheduled','queued','posted','failed','missed','blocked',"
	"     'cancelled')),"
	"  reason TEXT,"
	"  job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,"
	"  revision INTEGER NOT NULL DEFAULT 1,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE INDEX schedule_due ON schedule(at) WHERE state = 'scheduled';"
	"CREATE TABLE llm_calls ("
	"  id INTEGER PRIMARY KEY,"
	"  provider TEXT NOT NULL,"
	"  model TEXT,"
	"  prompt_hash TEXT,"
	"  request TEXT,"			/* redacted */
	"  response TEXT,"			/* redacted */
	"  tokens_in INTEGER NOT NULL DEFAULT 0,"
	"  tokens_out INTEGER NOT NULL DEFAULT 0,"
	"  cost REAL NOT NULL DEFAULT 0,"
	"  latency_ms INTEGER NOT NULL DEFAULT 0,"
	"  outcome TEXT NOT NULL,"
	"  error TEXT,"
	"  created_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE uploads ("
	"  id INTEGER PRIMARY KEY,"
	"  content_id TEXT NOT NULL,"
	"  account TEXT NOT NULL,"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN"
	"    ('pending','uploading','uploaded','publishing','published',"
	"     'failed')),"
	"  session TEXT,"			/* resumable session URI/id */
	"  sent INTEGER NOT NULL DEFAULT 0,"	/* bytes acknowledged */
	"  bytes INTEGER NOT NULL DEFAULT 0,"
	"  media_id TEXT,"
	"  idem_key TEXT,"
	"  remote_id TEXT,"
	"  url TEXT,"
	"  error TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  published_at INTEGER,"
	"  UNIQUE (content_id, account)"
	") STRICT;",
	/*
	 * 2 (issue #3, agency-script): llm_calls learns which run and purpose a
	 * call served and the HTTP status; providers that ran out of quota
	 * cool down across runs; responses may be cached by request hash.
	 */
	"ALTER TABLE llm_calls ADD COLUMN run_id TEXT;"
	"ALTER TABLE llm_calls ADD COLUMN purpose TEXT;"
	"ALTER TABLE llm_calls ADD COLUMN status INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX llm_calls_run ON llm_calls(run_id);"
	"CREATE TABLE llm_cooldown ("
	"  provider TEXT PRIMARY KEY,"
	"  until_at INTEGER NOT NULL,"		/* skip the provider until */
	"  reason TEXT,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;"
	"CREATE TABLE llm_cache ("
	"  key TEXT PRIMARY KEY,"		/* sha256 of the request */
	"  provider TEXT NOT NULL,"
	"  model TEXT,"
	"  response TEXT NOT NULL,"		/* the model's text */
	"  tokens_in INTEGER NOT NULL DEFAULT 0,"
	"  tokens_out INTEGER NOT NULL DEFAULT 0,"
	"  hits INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  used_at INTEGER NOT NULL"
	") STRICT;",

	/*
	 * 3 (issue #6, the queue): attempts, dependencies, and indexes that
	 * keep a claim flat however long the backlog.  waiting counts the
	 * jobs in job_deps not yet done, so a job that waits is out of the
	 * ready indexes.  failures counts the attempts that used up
	 * max_attempts (not exit 75, not a runner stopped with SIGTERM);
	 * attempts never goes down and is the fence of a lease.  A job
	 * cancelled because a job it waits for died keeps that job's id in
	 * cancelled_by, so retrying that one revives it.  The unique index
	 * now covers failed jobs too: they will run again.
	 */
	"ALTER TABLE jobs ADD COLUMN waiting INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE jobs ADD COLUMN input_from INTEGER;"	/* a job id */
	"ALTER TABLE jobs ADD COLUMN ready_at INTEGER;"
	"ALTER TABLE jobs ADD COLUMN cancelled_by INTEGER;"	/* a job id */
	"DROP INDEX jobs_ready;"
	"CREATE INDEX jobs_ready ON jobs(priority DESC, run_at, id)"
	"  WHERE state IN ('queued','failed') AND waiting = 0;"
	"CREATE INDEX jobs_ready_queue"
	"  ON jobs(queue, priority DESC, run_at, id)"
	"  WHERE state IN ('queued','failed') AND waiting = 0;"
	"DROP INDEX jobs_unique;"
	"CREATE UNIQUE INDEX jobs_unique ON jobs(unique_key)"
	"  WHERE unique_key IS NOT NULL"
	"  AND state IN ('queued','running','failed');"
	"CREATE INDEX jobs_state ON jobs(state, type);"
	"CREATE INDEX jobs_finished ON jobs(finished_at)"
	"  WHERE finished_at IS NOT NULL;"
	"CREATE INDEX jobs_cancelled_by ON jobs(cancelled_by)"
	"  WHERE cancelled_by IS NOT NULL;"
	"CREATE TABLE job_deps ("
	"  after_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
	"  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
	"  PRIMARY KEY (after_id, job_id)"
	") STRICT, WITHOUT ROWID;"
	"CREATE INDEX job_deps_job ON job_deps(job_id);"
	"CREATE TABLE job_attempts ("
	"  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,"
	"  n INTEGER NOT NULL,"			/* 1, 2, ... */
	"  runner TEXT NOT NULL,"		/* host:pid of the runner */
	"  host TEXT NOT NULL,"
	"  pid INTEGER,"			/* the child, its group */
	"  pstart INTEGER,"			/* its start time, in ticks */
	"  log TEXT,"				/* its stderr */
	"  wait_ms INTEGER NOT NULL DEFAULT 0,"	/* ready to started */
	"  started_at INTEGER NOT NULL,"
	"  ended_at INTEGER,"
	"  outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN"
	"    ('running','done','failed','timeout','tempfail','lost',"
	"     'cancelled','interrupted')),"
	"  exit_code INTEGER,"
	"  signal INTEGER,"
	"  error TEXT,"
	"  PRIMARY KEY (job_id, n)"
	") STRICT;"
	"CREATE INDEX job_attempts_started ON job_attempts(started_at);",

	/*
	 * 4 (issue #7, the calendar): a schedule row is one post to one
	 * account at one time.  A recurring post is a series: its rows share
	 * series (the id of the first) and are numbered by seq; dtstart is
	 * the series' first wall time and occurrence the rule's wall time of
	 * this one (local may differ: moved, or out of a DST gap), so the
	 * rule goes on from where it was.  The unique (series, seq) index
	 * means no occurrence is ever made twice.  What the upload job
	 * reported lands in remote_id, url and posted_at.  Slots are per
	 * account: a week of wall times in a zone.  The indexes keep the
	 * tick's look for due posts flat however large the calendar.
	 */
	"ALTER TABLE schedule ADD COLUMN series INTEGER;"
	"ALTER TABLE schedule ADD COLUMN seq INTEGER NOT NULL DEFAULT 1;"
	"ALTER TABLE schedule ADD COLUMN dtstart TEXT;"
	"ALTER TABLE schedule ADD COLUMN occurrence TEXT;"
	"ALTER TABLE schedule ADD COLUMN slot INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE schedule ADD COLUMN remote_id TEXT;"
	"ALTER TABLE schedule ADD COLUMN url TEXT;"
	"ALTER TABLE schedule ADD COLUMN posted_at INTEGER;"
	"CREATE INDEX schedule_blocked ON schedule(at) WHERE state = 'blocked';"
	"CREATE INDEX schedule_queued ON schedule(id) WHERE state = 'queued';"
	"CREATE INDEX schedule_time ON schedule(at);"
	"CREATE INDEX schedule_account ON schedule(account, at);"
	"CREATE UNIQUE INDEX schedule_occurrence ON schedule(series, seq)"
	"  WHERE series IS NOT NULL;"
	"CREATE TABLE schedule_slots ("
	"  account TEXT PRIMARY KEY,"		/* platform:name */
	"  spec TEXT NOT NULL,"			/* mon-fri 09:00,17:30 */
	"  tz TEXT NOT NULL,"			/* IANA zone */
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	") STRICT;",

	/*
	 * 5 (issue #8, agency-upload): the publish journal gains what a resume
	 * needs.  platform and file name the target and the bytes;
	 * fingerprint (size:mtime:inode) notices a file replaced under a
	 * journal; extra holds a platform's own notes (S3 part ETags, a
	 * thumbnail done); post is the agency.post printed once published;
	 * schedule the "ID:REVISION" that asked for it; attempts counts
	 * publish attempts and publish_started_at when the last began; rev
	 * makes every write a compare-and-set, so two runs can never both
	 * move one journal.
	 */
	"ALTER TABLE uploads ADD COLUMN platform TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE uploads ADD COLUMN file TEXT;"
	"ALTER TABLE uploads ADD COLUMN fingerprint TEXT;"
	"ALTER TABLE uploads ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';"
	"ALTER TABLE uploads ADD COLUMN post TEXT;"
	"ALTER TABLE uploads ADD COLUMN schedule TEXT;"
	"ALTER TABLE uploads ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE uploads ADD COLUMN publish_started_at INTEGER;"
	"ALTER TABLE uploads ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX uploads_state ON uploads(state, updated_at);"
	"CREATE INDEX uploads_account ON uploads(account);",
};

#define NSTEPS ((int)(sizeof(steps) / sizeof(steps[0])))

int
db_migrations(void)
{
	return NSTEPS;
}

static int
newer(struct agency *ag, struct store *st, int v)
{
	return ag_fail(ag, AG_CONFIG, "store '%s' has schema version %d, "
	    "newer than this program knows (%d); upgrade AgencyOS", st->path,
	    v, NSTEPS);
}

int
db_migrate(struct agency *ag, struct store *st)
{
	int v = store_version(st), rc;

	if (v > NSTEPS)
		return newer(ag, st, v);
	while (v < NSTEPS) {
		if ((rc = store_begin(ag, st)) != AG_OK)
			return rc;
		v = store_version(st);
		if (v > NSTEPS) {
			store_rollback(st);
			return newer(ag, st, v);
		}
		if (v < NSTEPS) {
			char pragma[64];

			rc = db_exec(ag, st, steps[v]);
			snprintf(pragma, sizeof(pragma),
			    "PRAGMA user_version=%d", v + 1);
			if (rc == AG_OK)
				rc = db_exec(ag, st, pragma);
			if (rc != AG_OK) {
				store_rollback(st);
				ag_prefix(ag, "migrating to version %d", v + 1);
				return rc;
			}
		}
		if ((rc = store_commit(ag, st)) != AG_OK)
			return rc;
		ag_debug(ag, "store '%s' at version %d", st->path,
		    store_version(st));
		v = store_version(st);
	}
	return AG_OK;
}

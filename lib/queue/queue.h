/*
 * queue.h - the durable job queue and its runner.
 *
 * A job is a run of a tool: type T runs agency-T (found as the front
 * finds tools, lib/core/tools.h) with the job's args, its input document
 * on stdin and a folder of its own as the working directory.  What it
 * prints on stdout is its result (JSON, or nothing); what it prints on
 * stderr is the log of that attempt.  Exit 0 is done; exit 75 is "try
 * again later"; anything else, a timeout or a signal is a failed
 * attempt, retried with exponential backoff and jitter until
 * max_attempts, then dead.  A pipeline is a chain of jobs, each taking
 * the previous one's result as input.
 *
 * Where things live: the store holds the jobs (lib/store/jobs.c and
 * leases.c hold every statement); queue.dir (default: "jobs" beside the
 * store, so $XDG_DATA_HOME/agency/jobs) holds one folder per job, ID/,
 * with N.log for the stderr of attempt N and work/, the job's working
 * directory.  Empty logs and an empty work/ are removed when an attempt
 * ends.
 *
 * Documents: every job is shown as an "agency.job" (agency-formats(7)).
 * Functions returning cJSON give the caller a new tree.  Errors follow
 * agency.h: a status, and ag->err says why.
 */
#ifndef AG_QUEUE_H
#define AG_QUEUE_H

#include <stddef.h>
#include <stdint.h>

struct agency;
struct cJSON;
struct job_filter;

/* One stage of a pipeline: a type and its arguments (all new). */
struct queue_stage {
	char *type;
	char **argv;
	size_t argc;
};

/*
 * queue_parse_pipeline() - "script --topic 'a b' | produce | upload" into
 * stages.  Words are split as sh(1) would split them, with '...', "..."
 * and backslash quoting and no expansion; '|' outside quotes separates
 * stages.  An empty stage, an unterminated quote or a type that is not a
 * tool name is AG_USAGE.  Free with queue_stages_free().
 */
int queue_parse_pipeline(struct agency *ag, const char *text,
    struct queue_stage **out, size_t *n);
void queue_stages_free(struct queue_stage *v, size_t n);

/* What "agency-queue submit" was asked for. */
struct queue_submit {
	struct queue_stage *stages;	/* one, or a pipeline */
	size_t nstages;
	const char *input_file;		/* NULL: read stdin unless no_input */
	int no_input;
	const char *each;		/* a batch: one pipeline per line of
					   this file ("-": stdin), or NULL */
	const char *queue;		/* NULL: "default" */
	const char *unique_key;		/* NULL: none; "{}" takes the line */
	int64_t priority;
	int64_t run_at;			/* ms; 0: now */
	int64_t max_attempts;		/* 0: queue.max_attempts */
	double timeout;			/* seconds; 0: none; < 0: config */
	const int64_t *after;		/* the first stage waits for these */
	size_t nafter;
	int64_t input_from;		/* first stage's input: this job's
					   result (it is waited for too) */
};

/*
 * queue_submit() - add the jobs, all in one transaction, and return
 * their documents as a new array (a job that already held the unique
 * key is returned with "existing": true).  In a batch, every "{}" in
 * the args and the unique key becomes the line, and a line that is a
 * JSON object is also the first stage's input.
 */
int queue_submit(struct agency *ag, const struct queue_submit *s,
    struct cJSON **jobs);

/* One job whose input is already in memory, for other modules. */
struct queue_job {
	const char *type;
	const char *const *args;	/* nargs strings */
	size_t nargs;
	const char *input;		/* the input document's text, or NULL */
	const char *unique_key;		/* NULL: none */
	const char *queue;		/* NULL: "default" */
	int64_t priority;
	int64_t run_at;			/* ms; 0: now */
	int64_t max_attempts;		/* 0: queue.max_attempts */
};

/*
 * queue_add() - add one job inside the caller's store transaction when
 * one is open (store_begin), so that the job and the change that asked
 * for it commit together or not at all; else in a transaction of its
 * own.  A live job that holds the unique key is returned instead, with
 * *existed set.
 */
int queue_add(struct agency *ag, const struct queue_job *j, int64_t *id,
    int *existed);

/* The "agency.job" document for a row of lib/store (new). */
struct cJSON *queue_job_doc(const struct cJSON *row);

/* The states of n jobs at once, as a new object {"ID": "state"}; a job
 * that does not exist (purged) is not in it. */
int queue_states(struct agency *ag, const int64_t *ids, size_t n,
    struct cJSON **out);

/* One job as a document; full adds input, result and the attempts. */
int queue_show(struct agency *ag, int64_t id, int full, struct cJSON **doc);

/* Call fn with the document of each job that f lets through. */
int queue_list(struct agency *ag, const struct job_filter *f,
    int (*fn)(void *arg, const struct cJSON *doc), void *arg);

int queue_cancel(struct agency *ag, int64_t id);
int queue_retry(struct agency *ag, int64_t id);
/* Retry every dead job; *n says how many. */
int queue_retry_dead(struct agency *ag, int64_t *n);
/* Delete the jobs that ended more than age seconds ago in one of states
 * (comma-separated: done, dead, cancelled), and their folders. */
int queue_purge(struct agency *ag, double age, const char *states,
    int64_t *n);

/* Counts by state, throughput, wait and run time percentiles since
 * since (ms) as an "agency.queue.stats" document. */
int queue_stats(struct agency *ag, int64_t since, struct cJSON **doc);

/*
 * queue_logs() - copy the log of attempt n (0: the last) of job id to
 * fd.  With follow, wait for the job to start if it has not, then keep
 * copying what is added until that attempt ends.
 */
int queue_logs(struct agency *ag, int64_t id, int64_t n, int follow, int fd);

/* The folder that holds the job folders (new string). */
char *queue_dir(struct agency *ag);
/* The folder of job id (new string). */
char *queue_job_dir(struct agency *ag, int64_t id);

/*
 * queue_backoff() - the delay in ms before the next attempt after the
 * n-th (n >= 1) attempt in a row that did not succeed:
 * queue.backoff * 2^(n-1) seconds, at most queue.backoff_max, times a
 * random factor in [0.8, 1.2) so that a herd of failed jobs spreads out.
 */
int64_t queue_backoff(struct agency *ag, int64_t n);

/* What "run" and "work" run with; lease and the rest come from config. */
struct queue_runner {
	int jobs;			/* children at once (-j) */
	int once;			/* drain what is ready, then return */
	double max_time;		/* once: stop claiming after; 0: no */
	int64_t max_jobs;		/* stop claiming after; 0: no limit */
	const char *const *queues;	/* only these queues; n 0: all */
	size_t nqueues;
};

/*
 * queue_run() - claim and run jobs until told to stop.  SIGTERM, SIGHUP or a
 * first SIGINT stops claiming and waits for the running jobs up to
 * queue.grace seconds, then stops them and gives them back to the queue;
 * a second SIGINT does that at once.  Returns AG_OK, AG_FALSE (once: an
 * attempt failed), 130 (aborted) or the error that stopped it.
 */
int queue_run(struct agency *ag, const struct queue_runner *o);

#endif

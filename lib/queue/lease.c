/*
 * lease.c - the runner's side of leases: who holds them, and cleaning
 * up after a runner that died holding some.
 *
 * A runner holds a lease on each job it runs and renews it every
 * heartbeat (queue.heartbeat) while the child lives; the statements are
 * in lib/store/leases.c.  A runner killed with -9 renews nothing: its
 * leases expire after queue.lease seconds and the next runner to look
 * (every runner reaps at start and then every half lease) puts the jobs
 * back in the queue, counting the lost attempt as a failure.
 *
 * Its children live on: each is in a process group of its own, so the
 * kill did not reach them.  They cannot finish their job (their stdout
 * pipe has no reader any more: the result they print kills them with
 * SIGPIPE, and no one would record it), but a long render would burn on
 * for nothing.  The attempt row keeps the child's pid and its start
 * time (written just after the spawn: a runner killed in that instant
 * leaves no pid, and its orphan lives until it prints its result), so a
 * runner on the same host that reaps the attempt kills that group, and
 * only if the pid still names the same process (the start time
 * matches), never a stranger that reused the number.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "queue/run.h"

void
lease_identity(char *host, size_t hlen, char *runner, size_t rlen)
{
	if (gethostname(host, hlen) == -1 || host[0] == '\0')
		snprintf(host, hlen, "localhost");
	host[hlen - 1] = '\0';
	snprintf(runner, rlen, "%s:%ld", host, (long)getpid());
}

int64_t
lease_pstart(pid_t pid)
{
	char path[64], buf[1024], *p;
	long long start = 0;
	ssize_t n;
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fp = fopen(path, "re")) == NULL)
		return 0;
	n = (ssize_t)fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The name, field 2, may hold anything; fields after it do not. */
	if ((p = strrchr(buf, ')')) == NULL)
		return 0;
	for (i = 2; i < 22 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%lld", &start) != 1)
		return 0;
	return start;
}

static int64_t
num(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

int
lease_reap(struct agency *ag, struct store *st, const char *host,
    const char *runner)
{
	cJSON *lost, *a;
	const char *h;
	int64_t pid, pstart;
	int rc;

	if ((rc = jobs_reap(ag, st, ag_now_ms(), runner, &lost)) != AG_OK)
		return rc;
	cJSON_ArrayForEach(a, lost) {
		h = cJSON_GetStringValue(cJSON_GetObjectItem(a, "host"));
		pid = num(a, "pid");
		pstart = num(a, "pstart");
		ag_warn(ag, "job %lld: attempt %lld lost: runner %s stopped "
		    "renewing its lease", (long long)num(a, "job_id"),
		    (long long)num(a, "n"), cJSON_GetStringValue(
		    cJSON_GetObjectItem(a, "runner")));
		if (h == NULL || strcmp(h, host) != 0 || pid <= 1 ||
		    pstart <= 0 || lease_pstart((pid_t)pid) != pstart)
			continue;
		if (kill(-(pid_t)pid, SIGKILL) == 0)
			ag_info(ag, "killed process group %lld, left running "
			    "by a dead runner", (long long)pid);
	}
	cJSON_Delete(lost);
	return AG_OK;
}

/* t-proc - children with input, capture, timeouts and cancel. */
#include <signal.h>

#include "tap.h"

static int ticks;

static int
cancel_after_two(void *arg, pid_t pid)
{
	(void)arg;
	(void)pid;
	return ++ticks >= 2;
}

int
main(void)
{
	struct agency ag;
	struct proc_opts o;
	struct proc_result r;
	char *cat[] = { "cat", NULL };
	char *fail[] = { "sh", "-c", "echo oops >&2; exit 7", NULL };
	char *sleepy[] = { "sh", "-c", "sleep 30 & sleep 30; echo no", NULL };
	char *term[] = { "sh", "-c", "trap '' TERM; sleep 30", NULL };
	char *loud[] = { "sh", "-c", "yes | head -c 300000", NULL };
	char *none[] = { "agency-no-such-program", NULL };
	char *pwd[] = { "pwd", NULL };
	char big[200000];

	tap_tmpdir();
	tap_agency(&ag, "t-proc");

	proc_opts_init(&o, cat);
	o.input = "{\"kind\":\"agency.job\"}";
	o.input_len = strlen(o.input);
	is_int(proc_run(&ag, &o, &r), AG_OK, "cat runs");
	is_str(r.out.data, o.input, "stdin reaches it, stdout comes back");
	is_int(r.exit_code, 0, "exit status 0");
	proc_result_release(&r);

	memset(big, 'x', sizeof(big));
	o.input = big;
	o.input_len = sizeof(big);
	proc_run(&ag, &o, &r);
	is_int(r.out.len, sizeof(big), "200 kB through a pipe both ways");
	proc_result_release(&r);

	proc_opts_init(&o, fail);
	proc_run(&ag, &o, &r);
	is_int(r.exit_code, 7, "the exit status is kept");
	is_str(r.err.data, "oops\n", "stderr is captured apart");
	proc_result_release(&r);

	proc_opts_init(&o, sleepy);
	o.timeout = 0.3;
	o.kill_grace = 1;
	proc_run(&ag, &o, &r);
	ok(r.timed_out && r.signal == SIGTERM, "a timeout ends it with "
	    "SIGTERM (signal %d)", r.signal);
	is_str(r.out.data, "", "before it printed anything");
	proc_result_release(&r);

	proc_opts_init(&o, term);
	o.timeout = 0.2;
	o.kill_grace = 0.3;
	proc_run(&ag, &o, &r);
	ok(r.timed_out && r.signal == SIGKILL, "one that ignores SIGTERM "
	    "gets SIGKILL (signal %d)", r.signal);
	proc_result_release(&r);

	proc_opts_init(&o, sleepy);
	o.tick = cancel_after_two;
	o.tick_ms = 50;
	o.kill_grace = 1;
	proc_run(&ag, &o, &r);
	ok(r.cancelled && !r.timed_out && ticks == 2, "tick() can cancel");
	proc_result_release(&r);

	proc_opts_init(&o, loud);
	o.max_output = 1000;
	proc_run(&ag, &o, &r);
	ok(r.out.len == 1000 && r.out_truncated && r.exit_code == 0,
	    "output past the cap is dropped, and the child still finishes");
	proc_result_release(&r);

	proc_opts_init(&o, pwd);
	o.cwd = "/";
	proc_run(&ag, &o, &r);
	is_str(r.out.data, "/\n", "runs in the folder asked for");
	proc_result_release(&r);

	proc_opts_init(&o, none);
	is_int(proc_run(&ag, &o, &r), AG_NOINPUT, "a missing program");
	ok(strstr(ag.err, "cannot run 'agency-no-such-program'") != NULL,
	    "is reported: %s", ag.err);
	proc_result_release(&r);
	ag_release(&ag);
	return done_testing();
}

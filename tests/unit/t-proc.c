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

	/* Many at once, one step at a time. */
	{
		char *echo[3][4] = {
			{ "sh", "-c", "sleep 0.2; echo one", NULL },
			{ "sh", "-c", "cat; echo two", NULL },
			{ "sh", "-c", "echo three; exit 4", NULL },
		};
		struct proc *v[3];
		int fds[2], done = 0, i, guard = 0;
		char *want[3] = { "one\n", "in\ntwo\n", "three\n" };

		for (i = 0; i < 3; i++) {
			proc_opts_init(&o, echo[i]);
			o.input = i == 1 ? "in\n" : NULL;
			o.input_len = i == 1 ? 3 : 0;
			ok(proc_start(&ag, &o, &v[i]) == AG_OK,
			    "proc_start %d", i);
		}
		while (done < 3 && guard++ < 10000) {
			proc_poll(v, 3, -1, 1000);
			for (done = 0, i = 0; i < 3; i++)
				done += proc_finished(v[i]);
		}
		for (i = 0; i < 3; i++) {
			proc_end(v[i], &r);
			is_str(r.out.data, want[i], "child %d's output, "
			    "together", i);
			if (i == 2)
				is_int(r.exit_code, 4, "and its status");
			proc_result_release(&r);
		}

		proc_opts_init(&o, sleepy);
		proc_start(&ag, &o, &v[0]);
		ok(pipe(fds) == 0 && write(fds[1], "x", 1) == 1, "a wake pipe");
		is_int(proc_poll(v, 1, fds[0], 5000), 1, "proc_poll returns "
		    "when the caller's descriptor is ready");
		proc_stop(v[0], 1);
		for (guard = 0; !proc_finished(v[0]) && guard < 1000; guard++)
			proc_poll(v, 1, -1, 1000);
		proc_end(v[0], &r);
		ok(r.cancelled && r.signal == SIGTERM, "proc_stop ends its "
		    "group with SIGTERM (signal %d)", r.signal);
		proc_result_release(&r);

		proc_start(&ag, &o, &v[0]);
		proc_end(v[0], &r);
		ok(r.signal == SIGKILL, "proc_end kills a child still running "
		    "(signal %d)", r.signal);
		proc_result_release(&r);
		close(fds[0]);
		close(fds[1]);
	}

	proc_opts_init(&o, none);
	is_int(proc_run(&ag, &o, &r), AG_NOINPUT, "a missing program");
	ok(strstr(ag.err, "cannot run 'agency-no-such-program'") != NULL,
	    "is reported: %s", ag.err);
	proc_result_release(&r);
	ag_release(&ag);
	return done_testing();
}

/* progress.c - a terminal bar or NDJSON progress events on stderr. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

enum { OFF, BAR, JSON };

static struct ag_progress *shown;	/* the bar now on the terminal */

static void
human(char *buf, size_t len, double v, int bytes)
{
	static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
	int i = 0;

	if (!bytes) {
		snprintf(buf, len, "%.0f", v);
		return;
	}
	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, i ? "%.1f %s" : "%.0f %s", v, units[i]);
}

void
ag_progress_start(struct agency *ag, struct ag_progress *p, const char *label,
    double total, int bytes)
{
	memset(p, 0, sizeof(*p));
	p->ag = ag;
	p->label = label;
	p->total = total;
	p->bytes = bytes;
	p->start = ag_mono_ms();
	p->last = 0;
	if (ag->loglevel == AG_LOG_ERROR || ag->progress == AG_PROGRESS_NONE)
		p->mode = OFF;
	else if (ag->progress == AG_PROGRESS_JSON)
		p->mode = JSON;
	else
		p->mode = isatty(STDERR_FILENO) ? BAR : OFF;
}

static void
draw(struct ag_progress *p, double elapsed, double rate)
{
	char bar[32], done[32], speed[40], eta[32];
	double frac = p->total > 0 ? p->done / p->total : 0;
	int i, fill, left;

	if (frac > 1)
		frac = 1;
	fill = (int)(frac * 24);
	for (i = 0; i < 24; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[24] = '\0';
	human(done, sizeof(done), p->done, p->bytes);
	human(speed, sizeof(speed) - 2, rate, p->bytes);
	strncat(speed, "/s", sizeof(speed) - strlen(speed) - 1);
	eta[0] = '\0';
	if (p->total > 0 && rate > 0 && frac < 1) {
		left = (int)((p->total - p->done) / rate);
		snprintf(eta, sizeof(eta), "  ETA %d:%02d", left / 60,
		    left % 60);
	} else if (frac >= 1) {
		snprintf(eta, sizeof(eta), "  %.1fs", elapsed);
	}
	if (p->total > 0)
		fprintf(stderr, "\r\033[K%s [%s] %3.0f%%  %s%s", p->label, bar,
		    frac * 100, speed, eta);
	else
		fprintf(stderr, "\r\033[K%s  %s  %s", p->label, done, speed);
	shown = p;
}

static void
event(struct ag_progress *p, double rate)
{
	cJSON *ev = ag_doc_new("agency.progress");
	char *s;

	cJSON_AddStringToObject(ev, "label", p->label);
	cJSON_AddNumberToObject(ev, "done", p->done);
	if (p->total > 0) {
		cJSON_AddNumberToObject(ev, "total", p->total);
		cJSON_AddNumberToObject(ev, "percent",
		    (double)(int)(1000 * p->done / p->total) / 10);
		if (rate > 0)
			cJSON_AddNumberToObject(ev, "eta",
			    (double)(int)((p->total - p->done) / rate));
	}
	cJSON_AddNumberToObject(ev, "rate", (double)(int64_t)rate);
	s = cJSON_PrintUnformatted(ev);
	fprintf(stderr, "%s\n", s);
	cJSON_free(s);
	cJSON_Delete(ev);
}

static void
show(struct ag_progress *p, int last)
{
	int64_t now = ag_mono_ms();
	double elapsed = (double)(now - p->start) / 1000;
	double rate = elapsed > 0 ? p->done / elapsed : 0;

	if (!last && now - p->last < (p->mode == BAR ? 100 : 250))
		return;
	p->last = now;
	if (p->mode == BAR)
		draw(p, elapsed, rate);
	else
		event(p, rate);
}

void
ag_progress_update(struct ag_progress *p, double done)
{
	p->done = done;
	if (p->mode != OFF)
		show(p, 0);
}

void
ag_progress_end(struct ag_progress *p)
{
	if (p->mode == OFF)
		return;
	show(p, 1);
	if (p->mode == BAR)
		fputc('\n', stderr);
	shown = NULL;
	p->mode = OFF;
}

void
ag_progress_clear(void)
{
	if (shown != NULL) {
		fputs("\r\033[K", stderr);
		shown->last = 0;	/* redraw at the next update */
	}
}

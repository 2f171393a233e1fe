/*
 * retry.c - when to send a request again, and after how long.
 *
 * Policy (../shared/reference/platforms.md §0.2, llm.md §1.0):
 *  - Nothing reached the server (connection refused, DNS, connect
 *    timeout): always safe to retry.
 *  - 429 and 503: the server says it did not do the work; retry, after
 *    Retry-After when it gives one.
 *  - 408, 500, 502, 504, and the connection failing once the request
 *    was sent (reset, timeout, empty reply): retried only when the
 *    request is idempotent; for a POST the work may have happened.
 *  - Anything else is an answer, good or bad, for the caller.
 * Delays use "full jitter" (AWS Architecture Blog, 2015): uniform in
 * [0, min(cap, base * 2^attempt)], which spreads a herd of clients
 * better than a fixed or equal-jitter schedule.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <time.h>

#include "agency.h"

/*
 * An HTTP date (RFC 9110 §5.6.7): IMF-fixdate, or the obsolete RFC 850
 * and asctime forms a recipient must still accept.  Always GMT.
 */
static time_t
http_date(const char *v)
{
	static const char *const forms[] = {
		"%a, %d %b %Y %H:%M:%S GMT",	/* Sun, 06 Nov 1994 08:49:37 GMT */
		"%A, %d-%b-%y %H:%M:%S GMT",	/* Sunday, 06-Nov-94 08:49:37 GMT */
		"%a %b %e %H:%M:%S %Y",		/* Sun Nov  6 08:49:37 1994 */
	};
	struct tm tm;
	const char *end;
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		memset(&tm, 0, sizeof(tm));
		end = strptime(v, forms[i], &tm);
		if (end != NULL && end[strspn(end, " ")] == '\0')
			return timegm(&tm);
	}
	return -1;
}

double
http_parse_retry_after(const char *v, int64_t now_s)
{
	double secs;
	time_t t;

	if (v == NULL)
		return -1;
	while (*v == ' ')
		v++;
	if (ag_parse_double(v, &secs) == 0)
		return secs < 0 ? -1 : secs;
	if ((t = http_date(v)) == -1)
		return -1;
	return t <= now_s ? 0 : (double)(t - now_s);
}

double
http_parse_reset(const char *v, int64_t now_s)
{
	double secs;
	time_t t;

	if (v == NULL)
		return -1;
	v += strspn(v, " ");
	/* A number larger than a day is an instant, in epoch seconds. */
	if (ag_parse_double(v, &secs) == 0 && secs > 86400)
		return secs <= (double)now_s ? 0 : secs - (double)now_s;
	if (ag_time_parse(v, &t) == 0)
		return t <= now_s ? 0 : (double)(t - now_s);
	return http_parse_retry_after(v, now_s);	/* seconds, a date */
}

double
http_backoff(double base, double cap, int attempt, unsigned int *seed)
{
	double ceiling = base;
	int i;

	for (i = 0; i < attempt && ceiling < cap; i++)
		ceiling *= 2;
	if (ceiling > cap)
		ceiling = cap;
	return ceiling * ((double)rand_r(seed) / RAND_MAX);
}

int
http_transient(int curl_code, long status, int idempotent)
{
	switch (curl_code) {
	case CURLE_OK:
		break;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return 1;		/* nothing was sent */
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
		return idempotent;
	default:
		return 0;
	}
	if (status == 429 || status == 503)
		return 1;
	if (status == 408 || status == 500 || status == 502 || status == 504)
		return idempotent;
	return 0;
}

/*
 * curl.h - libcurl, loaded when the first request needs it.
 *
 * Linked the usual way, libcurl costs every binary that might make a
 * request about thirty shared libraries (TLS, HTTP/2, IDN, LDAP, SSH,
 * compression ...) loaded and relocated before main(): 20-30 ms, paid by
 * "agency-script --version" and by every run that never goes on the
 * network (the offline provider).  So the library is opened with
 * dlopen() on first use and called through this table; only lib/net
 * uses it.  The types and constants still come from <curl/curl.h>.
 */
#ifndef AG_NET_CURL_H
#define AG_NET_CURL_H

#include <curl/curl.h>

struct agency;

struct net_curl {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *c);
	void (*easy_reset)(CURL *c);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *l,
	    const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	curl_mime *(*mime_init)(CURL *c);
	curl_mimepart *(*mime_addpart)(curl_mime *m);
	CURLcode (*mime_name)(curl_mimepart *p, const char *name);
	CURLcode (*mime_data)(curl_mimepart *p, const char *data, size_t n);
	CURLcode (*mime_filedata)(curl_mimepart *p, const char *path);
	CURLcode (*mime_filename)(curl_mimepart *p, const char *name);
	CURLcode (*mime_type)(curl_mimepart *p, const char *type);
	void (*mime_free)(curl_mime *m);
};

/*
 * net_curl_load() - the table, loading libcurl (and running
 * curl_global_init) the first time.  AG_UNAVAILABLE when the library is
 * missing, with a message naming the Debian package.
 */
int net_curl_load(struct agency *ag, const struct net_curl **out);

#endif

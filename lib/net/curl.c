/* curl.c - open libcurl with dlopen() on first use (see curl.h). */
#include <dlfcn.h>

#include "agency.h"
#include "net/curl.h"

static struct net_curl api;
static void *handle;

/* Debian's libcurl4 (OpenSSL) first, then the GnuTLS flavour. */
static const char *const names[] = {
	"libcurl.so.4", "libcurl-gnutls.so.4", NULL
};

static const struct {
	const char *sym;
	size_t off;
} syms[] = {
#define SYM(f, m) { "curl_" #f, offsetof(struct net_curl, m) }
	SYM(global_init, global_init),
	SYM(easy_init, easy_init),
	SYM(easy_cleanup, easy_cleanup),
	SYM(easy_reset, easy_reset),
	SYM(easy_setopt, easy_setopt),
	SYM(easy_perform, easy_perform),
	SYM(easy_getinfo, easy_getinfo),
	SYM(easy_strerror, easy_strerror),
	SYM(slist_append, slist_append),
	SYM(slist_free_all, slist_free_all),
	SYM(mime_init, mime_init),
	SYM(mime_addpart, mime_addpart),
	SYM(mime_name, mime_name),
	SYM(mime_data, mime_data),
	SYM(mime_filedata, mime_filedata),
	SYM(mime_filename, mime_filename),
	SYM(mime_type, mime_type),
	SYM(mime_free, mime_free),
#undef SYM
};

int
net_curl_load(struct agency *ag, const struct net_curl **out)
{
	void *f;
	size_t i;

	if (handle == NULL) {
		/* Lazily, as the dynamic linker binds a program's libraries:
		 * RTLD_NOW binds every function of libcurl's thirty-odd
		 * dependencies at once, 0.5-1 ms more (bench/script). */
		for (i = 0; names[i] != NULL && handle == NULL; i++)
			handle = dlopen(names[i], RTLD_LAZY | RTLD_LOCAL);
		if (handle == NULL)
			return ag_fail(ag, AG_UNAVAILABLE, "cannot load libcurl "
			    "(%s): install the Debian package libcurl4",
			    dlerror());
		for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
			if ((f = dlsym(handle, syms[i].sym)) == NULL) {
				dlclose(handle);
				handle = NULL;
				return ag_fail(ag, AG_UNAVAILABLE, "libcurl "
				    "lacks %s: it is too old", syms[i].sym);
			}
			/* POSIX guarantees object and function pointers
			 * convert; store through the member's own type. */
			memcpy((char *)&api + syms[i].off, &f, sizeof(f));
		}
		if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			dlclose(handle);
			handle = NULL;
			return ag_fail(ag, AG_SOFTWARE, "cannot start libcurl");
		}
	}
	*out = &api;
	return AG_OK;
}

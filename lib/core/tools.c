/* tools.c - finding agency-NAME tools beside us, in plugins.path, in PATH. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agency.h"

struct dirs {
	char **v;
	size_t n;
};

static void
add_dir(struct dirs *d, const char *dir, size_t len)
{
	if (len == 0)
		return;
	d->v = xreallocarray(d->v, d->n + 1, sizeof(*d->v));
	d->v[d->n++] = xstrndup(dir, len);
}

static void
add_path_list(struct dirs *d, const char *list)
{
	const char *p, *colon;

	for (p = list; p != NULL; p = colon ? colon + 1 : NULL) {
		colon = strchr(p, ':');
		add_dir(d, p, colon ? (size_t)(colon - p) : strlen(p));
	}
}

/* Where tools come from, in order: our folder, plugins.path, PATH. */
static void
search_dirs(struct agency *ag, struct dirs *d)
{
	char *exe = ag_exe_dir();

	d->v = NULL;
	d->n = 0;
	add_dir(d, exe, strlen(exe));
	free(exe);
	add_path_list(d, config_str(ag, "plugins.path"));
	add_path_list(d, getenv("PATH"));
}

static void
dirs_release(struct dirs *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		free(d->v[i]);
	free(d->v);
}

static int
executable(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    access(path, X_OK) == 0;
}

int
ag_tool_name_ok(const char *name)
{
	const char *p;

	if (name == NULL || !((*name >= 'a' && *name <= 'z') ||
	    (*name >= 'A' && *name <= 'Z') || (*name >= '0' && *name <= '9')))
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.'))
			return 0;
	return p - name <= 200;
}

char *
ag_tool_find(struct agency *ag, const char *name)
{
	struct dirs d;
	char *p = NULL;
	size_t i;

	if (!ag_tool_name_ok(name))
		return NULL;
	search_dirs(ag, &d);
	for (i = 0; i < d.n; i++) {
		p = xasprintf("%s/agency-%s", d.v[i], name);
		if (executable(p))
			break;
		free(p);
		p = NULL;
	}
	dirs_release(&d);
	return p;
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
ag_tool_list(struct agency *ag, char ***names, size_t *n)
{
	struct dirent *de;
	struct dirs d;
	char **found = NULL, *p;
	size_t nfound = 0, i, j;
	DIR *dir;

	search_dirs(ag, &d);
	for (i = 0; i < d.n; i++) {
		if ((dir = opendir(d.v[i])) == NULL)
			continue;
		while ((de = readdir(dir)) != NULL) {
			if (strncmp(de->d_name, "agency-", 7) != 0 ||
			    !ag_tool_name_ok(de->d_name + 7))
				continue;
			for (j = 0; j < nfound; j++)
				if (strcmp(found[j], de->d_name + 7) == 0)
					break;
			if (j < nfound)
				continue;
			p = xasprintf("%s/%s", d.v[i], de->d_name);
			if (executable(p)) {
				found = xreallocarray(found, nfound + 1,
				    sizeof(*found));
				found[nfound++] = xstrdup(de->d_name + 7);
			}
			free(p);
		}
		closedir(dir);
	}
	dirs_release(&d);
	if (nfound > 1)
		qsort(found, nfound, sizeof(*found), cmpstr);
	*names = found;
	*n = nfound;
}

void
ag_tool_list_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

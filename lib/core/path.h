/*
 * path.h - where things live, and reading and creating files.
 *
 * Strings returned by the ag_*_dir() functions are new (free() them).
 */
#ifndef AG_PATH_H
#define AG_PATH_H

#include <stddef.h>
#include <sys/types.h>

struct agency;
struct buf;

/* $XDG_<kind>_HOME or its default under $HOME; kind is CONFIG, DATA,
 * STATE or CACHE. */
char *ag_xdg_dir(const char *kind);
/* The folder holding the running executable (from /proc/self/exe). */
char *ag_exe_dir(void);
/*
 * The shared data folder (templates, styles, fonts): $AGENCY_DATADIR,
 * else ../share/agency or ../share beside the executable (an installed
 * tree or the build tree), else the compiled-in DATADIR.
 */
char *ag_data_dir(void);
/*
 * Where a kind of user file and its shipped counterpart live (sub is
 * "templates", "styles"): $XDG_CONFIG_HOME/agency/<sub>, where the
 * user's override the shipped ones, and the data folder's <sub>.
 */
char *ag_user_dir(const char *sub);
char *ag_shipped_dir(const char *sub);

/* Read a whole file (path "-" is stdin) into out, at most max bytes. */
int ag_read_file(struct agency *ag, const char *path, size_t max,
    struct buf *out);
/* Write a whole file atomically (temp file, fsync, rename). */
int ag_write_file(struct agency *ag, const char *path, const void *data,
    size_t len, mode_t mode);
/* mkdir -p dir with mode for the folders it creates. */
int ag_mkdirs(struct agency *ag, const char *dir, mode_t mode);
/* mkdir -p the folder that will hold file. */
int ag_mkdirs_for(struct agency *ag, const char *file, mode_t mode);
/* rm -r path (a file or a folder); a path that does not exist is fine. */
int ag_remove_tree(struct agency *ag, const char *path);

#endif

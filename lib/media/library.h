/*
 * library.h - the media library: files the toolkit makes (narration,
 * music beds) kept in the media folder under their content hash, and
 * the pictures and clips a video can show, from folders the user names
 * and from the store's assets table.
 *
 * The media folder is the config key media.dir ($AGENCY_MEDIA), else
 * $XDG_DATA_HOME/agency/media.
 *
 * Ownership: paths returned are new (free()); a struct library owns its
 * entries until library_release().
 */
#ifndef AG_MEDIA_LIBRARY_H
#define AG_MEDIA_LIBRARY_H

#include <stddef.h>

struct agency;

char *library_dir(struct agency *ag);

/*
 * library_keep_audio() - write pcm (interleaved float) as a WAV file in
 * the media folder, named by its SHA-256, and record it in the assets
 * table with kind and tags; *path is where it is.  The same sound twice
 * is one file.
 */
int library_keep_audio(struct agency *ag, const float *pcm, size_t frames,
    int channels, int rate, const char *kind, const char *tags,
    char **path);

enum library_kind { LIB_IMAGE, LIB_VIDEO };

struct library_entry {
	char *path;			/* absolute */
	enum library_kind kind;
	char *words;			/* tags and file-name words, lower case,
					 * space-separated */
	double duration;		/* video: seconds */
	int used;			/* picked by the director */
};

struct library {
	struct library_entry *v;
	size_t n;
};

/*
 * library_scan() - the pictures and clips of each of the n folders in
 * dirs (not recursive), then of the
 * assets table, in a fixed order (by path), each once.  Files that do
 * not probe as an image or a video are skipped.  A folder that cannot
 * be read is AG_NOINPUT.
 */
int library_scan(struct agency *ag, const char *const *dirs, size_t n,
    struct library *out);
/*
 * library_pick() - the entry that best matches the words of text (its
 * significant words found in the entry's words), preferring those not
 * used yet; ties go to the earlier entry.  NULL if the library is empty.
 * The entry is marked used.
 */
struct library_entry *library_pick(struct library *lib, const char *text);
void library_release(struct library *lib);

#endif

/*
 * bluesky.h - the parts of bluesky.c that are pure functions of text,
 * for tests/unit/t-bluesky.c: facets, graphemes and record keys.
 */
#ifndef AG_PLATFORMS_BLUESKY_H
#define AG_PLATFORMS_BLUESKY_H

#include <stddef.h>
#include <stdint.h>

struct cJSON;

/*
 * bluesky_facets() - the app.bsky.richtext.facet array of text (new;
 * an empty array when there is nothing): a #tag feature for every
 * hashtag and a #link feature for every http(s) URL, each at the UTF-8
 * BYTE offsets of its text (byteStart inclusive, byteEnd exclusive),
 * as the lexicon wants them.  A hashtag starts the text or follows
 * white space, runs to the next white space, loses trailing
 * punctuation, is not all digits and is at most 64 graphemes; a link
 * loses trailing punctuation too.
 */
struct cJSON *bluesky_facets(const char *text);

/*
 * bluesky_graphemes() - how many graphemes the len bytes of s are,
 * as a reader counts them: a code point that extends the one before
 * (a combining mark, a variation selector, a skin tone, what follows a
 * zero-width joiner, the second of a flag's pair) is not one more.  An
 * approximation of UAX #29 good for Bluesky's 300-grapheme limit.
 */
size_t bluesky_graphemes(const char *s, size_t len);

/*
 * bluesky_cut() - the length in bytes of the longest prefix of the len
 * bytes of s that has at most graphemes graphemes and bytes bytes, cut
 * between graphemes.
 */
size_t bluesky_cut(const char *s, size_t len, size_t graphemes,
    size_t bytes);

/*
 * bluesky_tid() - a TID (the record key form posts need): 13 characters
 * of base32-sortable over 64 bits, 0, 53 bits of microseconds since the
 * epoch and a 10-bit clock id; out holds at least 14 bytes.
 */
void bluesky_tid(int64_t us, unsigned clock_id, char *out);

#endif

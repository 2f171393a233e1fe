/*
 * words.h - spoken words and when they are heard: what the voice gives
 * the director, what the EDL carries and what captions are built from.
 *
 * A word is one token of the script as the script writes it ("$200,",
 * "don't", "3") with the time it is heard, in seconds from the start of
 * its audio.  The synthesizer may say something else ("two hundred
 * dollars"); the text stays the script's own so that captions show what
 * the editor wrote.  Times never go backwards: start <= end, and a word
 * starts at or after the previous one ends.
 *
 * Ownership: a struct media_words owns its array and every text in it
 * until media_words_release().  media_words_add() copies the text.
 */
#ifndef AG_MEDIA_WORDS_H
#define AG_MEDIA_WORDS_H

#include <stddef.h>

enum word_flags {
	WORD_SENTENCE_END = 1 << 0,	/* the last word of a sentence */
	WORD_SCENE_END = 1 << 1		/* the last word of a scene */
};

struct media_word {
	char *text;			/* the script's token, owned */
	double start, end;		/* seconds */
	int scene;			/* the scene it belongs to, from 0 */
	int flags;			/* enum word_flags */
};

struct media_words {
	struct media_word *v;
	size_t n, alloc;
};

#define MEDIA_WORDS_INIT { NULL, 0, 0 }

void media_words_init(struct media_words *w);
void media_words_release(struct media_words *w);
/* Append a copy of text; returns the new word (owned by w). */
struct media_word *media_words_add(struct media_words *w, const char *text,
    double start, double end, int scene, int flags);
/* Append every word of src to dst, shifted by offset seconds. */
void media_words_append(struct media_words *dst,
    const struct media_words *src, double offset, int scene);

#endif

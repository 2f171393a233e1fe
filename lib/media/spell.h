/*
 * spell.h - what a token of a script is spoken as, written out before
 * synthesis: numbers, ordinals, years, currency, percentages, times and
 * common abbreviations.
 *
 * The synthesizers read digits and symbols their own way, and not
 * always well: espeak-ng says "a dollar two hundred" for "$200".  So
 * the voice gives them words it has spelled out itself, and keeps the
 * script's own tokens for the captions (voice.h).  A token is spelled
 * on its own, with its neighbours as context ("$2" before "million"
 * becomes "two", and "million" after it "million dollars"; "St." is
 * "Saint" before a name and "Street" elsewhere).
 *
 * English ("en" and any "en-*" tag) is spelled out in full; "en-GB",
 * "en-AU", "en-NZ", "en-IE" and "en-IN" say "one hundred and five",
 * the rest "one hundred five".  Other languages pass through: their
 * engines read numbers in their own language.  Every language gets the
 * typographic folding: curly quotes and apostrophes become ASCII ones,
 * dashes a comma pause (or a hyphen inside a word), "..." for the
 * ellipsis, and invisible or invalid characters are dropped.
 *
 * Ownership: everything is borrowed; the spoken form is appended to the
 * caller's buffer.
 */
#ifndef AG_MEDIA_SPELL_H
#define AG_MEDIA_SPELL_H

#include <stddef.h>

struct buf;

enum spell_lang {
	SPELL_NONE,			/* pass through */
	SPELL_EN_US,			/* "one hundred five" */
	SPELL_EN_GB			/* "one hundred and five" */
};

/* The speller for a BCP 47 tag ("en", "en-GB", "de"); NULL is English. */
enum spell_lang spell_language(const char *bcp47);

/*
 * spell_token() - append to out what tok is spoken as, given the tokens
 * before and after it (NULL at either end of the text) and whether it
 * ends a sentence (an abbreviation keeps its full stop only then).
 * Leading and trailing punctuation stay around the spoken words:
 * "($200)," gives "(two hundred dollars),".  A token with nothing to
 * say (a lone "*") gives nothing.
 */
void spell_token(enum spell_lang lang, const char *prev, const char *tok,
    const char *next, int sentence_end, struct buf *out);

/*
 * spell_sentence_end() - does tok end a sentence?  It does when it ends
 * in '.', '!', '?' or an ellipsis (closing quotes and brackets aside),
 * unless it is a title such as "Dr." or "e.g."; an ellipsis or an
 * abbreviation such as "etc." ends one only before a capital letter or
 * at the end of the text (next NULL).
 */
int spell_sentence_end(enum spell_lang lang, const char *tok,
    const char *next);

/*
 * UTF-8, for the voice and its engines: the code point at *s, which is
 * advanced past it; an invalid or truncated sequence gives -1 and
 * advances one byte.  At the terminating NUL it gives 0 and stays.
 */
long spell_utf8_next(const char **s);
/* Is code point c a space (ASCII white space or a Unicode space)? */
int spell_is_space(long c);

#endif

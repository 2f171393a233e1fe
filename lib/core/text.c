/*
 * text.c - words in text: UTF-8 code points and length, stop words (the words that say
 * little: "the", "und", "avec") and the significant words of a text,
 * for hashtags and for matching media to a scene.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "agency.h"

static const char *const stop_en[] = {
	"a", "about", "after", "again", "all", "also", "am", "an", "and",
	"any", "are", "as", "at", "be", "because", "been", "before", "being",
	"best", "between", "both", "but", "by", "can", "could", "did", "do",
	"does", "doing", "don't", "down", "each", "even", "every", "few",
	"find", "first", "for", "from", "get", "gets", "getting", "give", "go", "good", "got",
	"great", "had", "has", "have", "having", "he", "her", "here", "hers",
	"him", "his", "how", "i", "if", "in", "into", "is", "isn't", "it",
	"it's", "its", "just", "keep", "know", "let", "let's", "like", "little",
	"make", "makes", "many", "may", "me", "more", "most", "much", "must",
	"my", "need", "never", "new", "no", "nobody", "not", "now", "of",
	"off", "often", "on", "once", "one", "only", "or", "other", "our",
	"out", "over", "own", "people", "really", "right", "same", "say", "see",
	"she", "should", "so", "some", "start", "still", "such", "take",
	"than", "that", "that's", "the", "their", "them", "then", "there",
	"these", "they", "thing", "things", "this", "those", "three",
	"through", "time", "to", "too", "try", "turn", "two", "under", "until", "up", "us",
	"use", "used", "very", "want", "was", "way", "ways", "we", "well", "were",
	"what", "when", "where", "which", "while", "who", "why", "will",
	"with", "without", "would", "you", "you'll", "you're", "your",
	"yours", NULL
};
static const char *const stop_de[] = {
	"aber", "alle", "alles", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis",
	"das", "dass", "dein", "dem", "den", "der", "des", "die", "dies",
	"diese", "doch", "du", "ein", "eine", "einem", "einen", "einer",
	"es", "für", "hat", "ich", "ihr", "im", "in", "ist", "ja", "kann",
	"man", "mit", "nach", "nicht", "noch", "nur", "oder", "sich", "sie",
	"sind", "so", "und", "uns", "von", "vor", "war", "was", "wenn",
	"wie", "wir", "wird", "zu", "zum", "zur", NULL
};
static const char *const stop_fr[] = {
	"au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle",
	"en", "est", "et", "il", "je", "la", "le", "les", "leur", "mais",
	"me", "mon", "ne", "nous", "on", "ou", "par", "pas", "pour", "qui",
	"que", "sa", "se", "ses", "son", "sur", "ta", "te", "tu", "un",
	"une", "vos", "votre", "vous", NULL
};
static const char *const stop_es[] = {
	"al", "como", "con", "de", "del", "el", "en", "es", "esta", "este",
	"la", "las", "lo", "los", "más", "mi", "no", "para", "pero", "por",
	"que", "se", "si", "sin", "su", "sus", "tu", "un", "una", "uno",
	"y", "ya", NULL
};

static int
in_list(const char *const *l, const char *w)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, w) == 0)
			return 1;
	return 0;
}

int
ag_stop_word(const char *w, const char *language)
{
	if (in_list(stop_en, w))
		return 1;
	if (language == NULL)
		return 0;
	if (strncasecmp(language, "de", 2) == 0)
		return in_list(stop_de, w);
	if (strncasecmp(language, "fr", 2) == 0)
		return in_list(stop_fr, w);
	if (strncasecmp(language, "es", 2) == 0)
		return in_list(stop_es, w);
	return 0;
}

size_t
ag_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static int
wordbyte(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || c == '\'';
}

void
ag_keywords(const char *text, const char *language, size_t max, char ***out,
    size_t *nout)
{
	struct kw {
		char *w;
		int count;
		size_t first;
	} *k = NULL, tmp;
	size_t n = 0, i, j, len, order = 0;
	const char *p = text;
	char *w;
	int digits;

	while (*p != '\0') {
		while (*p != '\0' && !wordbyte((unsigned char)*p))
			p++;
		for (len = 0; wordbyte((unsigned char)p[len]); len++)
			;
		if (len == 0)
			break;
		w = xstrndup(p, len);
		p += len;
		while (len > 0 && w[len - 1] == '\'')
			w[--len] = '\0';
		digits = 1;
		for (i = 0; i < len; i++) {
			w[i] = (char)tolower((unsigned char)w[i]);
			if (!isdigit((unsigned char)w[i]))
				digits = 0;
		}
		if (len > 2 && strncmp(w + len - 2, "'s", 2) == 0)
			w[len -= 2] = '\0';
		if (ag_utf8_len(w) < 3 || digits || ag_stop_word(w, language)) {
			free(w);
			continue;
		}
		for (i = 0; i < n && strcmp(k[i].w, w) != 0; i++)
			;
		if (i < n) {
			k[i].count++;
			free(w);
			continue;
		}
		k = xreallocarray(k, n + 1, sizeof(*k));
		k[n].w = w;
		k[n].count = 1;
		k[n++].first = order++;
	}
	/* Insertion sort: count down, then first appearance. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && (k[j].count > k[j - 1].count ||
		    (k[j].count == k[j - 1].count &&
		    k[j].first < k[j - 1].first)); j--) {
			tmp = k[j];
			k[j] = k[j - 1];
			k[j - 1] = tmp;
		}
	*out = xcalloc(max ? max : 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		if (i < max)
			(*out)[i] = k[i].w;
		else
			free(k[i].w);
	}
	*nout = n < max ? n : max;
	free(k);
}

void
ag_keywords_free(char **words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(words[i]);
	free(words);
}

unsigned long
ag_utf8_decode(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp, min;
	size_t n, i;

	if (p[0] < 0x80) {
		*len = 1;
		return p[0];
	}
	if ((p[0] & 0xe0) == 0xc0)
		n = 2, cp = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3, cp = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		n = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		goto bad;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			goto bad;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		goto bad;
	*len = n;
	return cp;
bad:
	*len = 1;
	return 0xfffd;
}

size_t
ag_utf8_encode(unsigned long cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* t-bluesky - facets at UTF-8 byte offsets, graphemes, record keys. */
#include <string.h>

#include "tap.h"
#include "platforms/bluesky.h"

/* Facet i: its byte range and its one feature's value. */
static int
facet(const cJSON *facets, int i, int start, int end, const char *type,
    const char *value)
{
	const cJSON *f = cJSON_GetArrayItem(facets, i);
	const cJSON *ix = cJSON_GetObjectItem(f, "index");
	const cJSON *ft = cJSON_GetArrayItem(cJSON_GetObjectItem(f,
	    "features"), 0);
	const char *t = ag_jstr(ft, "$type"), *v;

	if (f == NULL || t == NULL)
		return 0;
	v = ag_jstr(ft, strstr(t, "#link") ? "uri" : "tag");
	return cJSON_GetNumberValue(cJSON_GetObjectItem(ix, "byteStart")) ==
	    start && cJSON_GetNumberValue(cJSON_GetObjectItem(ix,
	    "byteEnd")) == end && strcmp(t, type) == 0 && v != NULL &&
	    strcmp(v, value) == 0;
}

int
main(void)
{
	/* Accents and an emoji before the first tag: bytes, not chars. */
	const char *text = "Caf\xc3\xa9 \xf0\x9f\x8e\xac d\xc3\xa9j\xc3\xa0 "
	    "vu #launch, see https://example.com/a?b=1. #na\xc3\xafve #2026 "
	    "#ok\xf0\x9f\x8e\x89!\n\n#last";
	const char *tag = "app.bsky.richtext.facet#tag";
	const char *link = "app.bsky.richtext.facet#link";
	cJSON *f;
	char tid[14], tid2[14], s[700];
	size_t i, n;

	f = bluesky_facets(text);
	is_int(cJSON_GetArraySize(f), 5, "five facets (#2026 is no tag)");
	ok(facet(f, 0, 21, 28, tag, "launch"), "#launch after an emoji and "
	    "accents: bytes 21-28, the comma left out");
	ok(facet(f, 1, 34, 59, link, "https://example.com/a?b=1"),
	    "a link, the full stop left out");
	ok(facet(f, 2, 61, 68, tag, "na\xc3\xafve"), "an accented tag: 7 "
	    "bytes for 6 letters");
	ok(facet(f, 3, 75, 82, tag, "ok\xf0\x9f\x8e\x89"), "a tag ending in "
	    "an emoji, the ! left out");
	ok(facet(f, 4, 85, 90, tag, "last"), "a tag after blank lines, at "
	    "the end");
	cJSON_Delete(f);
	f = bluesky_facets("no#tag here # and #");
	is_int(cJSON_GetArraySize(f), 0, "no tag inside a word, nor a bare #");
	cJSON_Delete(f);
	f = bluesky_facets("#\xc3\xa9t\xc3\xa9");
	ok(facet(f, 0, 0, 6, tag, "\xc3\xa9t\xc3\xa9"), "a tag at byte 0");
	cJSON_Delete(f);
	memset(s, 0, sizeof(s));
	s[0] = '#';
	memset(s + 1, 'a', 65);
	f = bluesky_facets(s);
	is_int(cJSON_GetArraySize(f), 0, "a tag of 65 graphemes is none");
	cJSON_Delete(f);

	is_int((int)bluesky_graphemes("abc", 3), 3, "ASCII");
	is_int((int)bluesky_graphemes("d\xc3\xa9j\xc3\xa0", 6), 4,
	    "precomposed accents are one each");
	is_int((int)bluesky_graphemes("e\xcc\x81", 3), 1, "e and a "
	    "combining acute: one");
	/* woman, ZWJ, laptop; a thumb with a skin tone; a flag. */
	is_int((int)bluesky_graphemes("\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f"
	    "\x92\xbb", 11), 1, "a ZWJ sequence: one");
	is_int((int)bluesky_graphemes("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", 8),
	    1, "a skin tone: one");
	is_int((int)bluesky_graphemes("\xf0\x9f\x87\xa9\xf0\x9f\x87\xaa\xf0"
	    "\x9f\x87\xab\xf0\x9f\x87\xb7", 16), 2, "two flags: two");

	/* 400 e-acutes: 300 graphemes are 600 bytes. */
	for (i = 0, n = 0; i < 400 && n + 2 < sizeof(s); i++, n += 2)
		memcpy(s + n, "\xc3\xa9", 2);
	is_int((int)bluesky_cut(s, n, 300, 3000), 600, "cut at 300 graphemes");
	is_int((int)bluesky_cut(s, n, 300, 101), 100, "cut at a byte limit, "
	    "between graphemes");
	is_int((int)bluesky_cut("e\xcc\x81x", 4, 1, 100), 3, "a combining "
	    "mark stays with its letter");
	is_int((int)bluesky_cut("abc", 3, 300, 3000), 3, "short text whole");

	bluesky_tid(0, 0, tid);
	is_str(tid, "2222222222222", "TID zero");
	bluesky_tid(1733300000000000LL, 7, tid);
	bluesky_tid(1733300000000001LL, 7, tid2);
	is_int((int)strlen(tid), 13, "a TID is 13 characters");
	ok(strchr("234567abcdefghij", tid[0]) != NULL &&
	    strspn(tid, "234567abcdefghijklmnopqrstuvwxyz") == 13,
	    "of base32-sortable, the top bit clear");
	ok(strcmp(tid, tid2) < 0, "later is greater");
	return done_testing();
}

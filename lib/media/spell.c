/*
 * spell.c - tokens written out as words before synthesis (spell.h).
 *
 * A token is folded first (typographic punctuation to ASCII), then cut
 * into its leading punctuation, its core and its trailing punctuation:
 * "($3.50)," is "(", "$3.50" and "),".  Only the core is spelled; the
 * punctuation goes around the words so that the engine still pauses
 * where the script does.  The core is tried, in order, as an
 * abbreviation ("Dr.", "e.g."), as "a.m."/"p.m." after a number, as
 * something numeric (money, percentages, ordinals, decades, times,
 * fractions, ranges, units, plain numbers and years), as a word
 * after money or a number ("$2 million", "5 km"), and as a compound
 * with a number in it ("5-year-old", "COVID-19").  Anything else is
 * left for the engine to read.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "agency.h"
#include "media/spell.h"

#define LEAD "\"'([{<*_~"
#define TRAIL "\"')]}>*_~.,;:!?"
#define MARKUP "*_~"		/* emphasis marks: never spoken */
#define CLOSERS "\"')]}>*_~"
#define MAXDIGITS 15		/* longer numbers are read digit by digit */

long
spell_utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	long c;
	int n, i;

	if (p[0] == 0)
		return 0;
	if (p[0] < 0x80) {
		(*s)++;
		return p[0];
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 1, c = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 2, c = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 3, c = p[0] & 0x07;
	else
		goto bad;
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && c < 0x800) || (n == 3 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		goto bad;
	*s += n + 1;
	return c;
bad:
	(*s)++;
	return -1;
}

int
spell_is_space(long c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

enum spell_lang
spell_language(const char *tag)
{
	static const char *const and_style[] = { "gb", "uk", "au", "nz",
	    "ie", "in", NULL };
	size_t i;

	if (tag == NULL)
		return SPELL_EN_US;
	if (strncasecmp(tag, "en", 2) != 0 || (tag[2] != '\0' &&
	    tag[2] != '-' && tag[2] != '_'))
		return SPELL_NONE;
	if (tag[2] != '\0')
		for (i = 0; and_style[i] != NULL; i++)
			if (strncasecmp(tag + 3, and_style[i], 2) == 0 &&
			    !isalnum((unsigned char)tag[5]))
				return SPELL_EN_GB;
	return SPELL_EN_US;
}

/* Append s to b, one space first unless b is empty or ends in one. */
static void
word(struct buf *b, const char *s)
{
	if (b->len > 0 && b->data[b->len - 1] != ' ' &&
	    b->data[b->len - 1] != '-')
		buf_addch(b, ' ');
	buf_addstr(b, s);
}

/*
 * Typographic folding (see spell.h).  A dash between words becomes " , "
 * so that the parts are spoken as words with a pause between them.
 */
static void
fold(const char *s, struct buf *out)
{
	const char *p = s, *q;
	long c;

	for (q = p; (c = spell_utf8_next(&p)) != 0; q = p) {
		if (c < 0x20 || c == 0x7f || c == 0xad ||
		    (c >= 0x200b && c <= 0x200d) || c == 0x2060 ||
		    c == 0xfeff)
			continue;	/* also -1: invalid bytes */
		if (c == 0x2018 || c == 0x2019 || c == 0x201a || c == 0x201b ||
		    c == 0x2032 || c == 0x02bc || c == 0x2039 || c == 0x203a)
			buf_addch(out, '\'');
		else if (c == 0x201c || c == 0x201d || c == 0x201e ||
		    c == 0x201f || c == 0xab || c == 0xbb || c == 0x2033)
			buf_addch(out, '"');
		else if ((c >= 0x2010 && c <= 0x2013) || c == 0x2212)
			buf_addch(out, '-');
		else if (c == 0x2014 || c == 0x2015)
			buf_addstr(out, " , ");
		else if (c == 0x2026)
			buf_addstr(out, "...");
		else if (c == 0xd7)
			buf_addch(out, 'x');
		else if (spell_is_space(c))
			buf_addch(out, ' ');
		else
			buf_add(out, q, (size_t)(p - q));
	}
}

/* Numbers in words. */

static const char *const ones[] = { "zero", "one", "two", "three", "four",
	"five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
	"thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
	"nineteen" };
static const char *const tens[] = { "", "", "twenty", "thirty", "forty",
	"fifty", "sixty", "seventy", "eighty", "ninety" };
static const char *const scales[] = { "", "thousand", "million", "billion",
	"trillion" };

/* 1 to 99. */
static void
below100(struct buf *b, unsigned n)
{
	if (n < 20) {
		word(b, ones[n]);
		return;
	}
	word(b, tens[n / 10]);
	if (n % 10 != 0) {
		buf_addch(b, '-');
		buf_addstr(b, ones[n % 10]);
	}
}

/* 1 to 999; "and" before the tens for British English. */
static void
below1000(struct buf *b, unsigned n, int and)
{
	if (n >= 100) {
		word(b, ones[n / 100]);
		word(b, "hundred");
		if (n % 100 != 0 && and)
			word(b, "and");
	}
	if (n % 100 != 0)
		below100(b, n % 100);
}

/* n < 10^15. */
static void
cardinal(struct buf *b, unsigned long long n, enum spell_lang lang)
{
	unsigned group[5];
	int i, top = 0;

	if (n == 0) {
		word(b, "zero");
		return;
	}
	for (i = 0; i < 5; i++) {
		group[i] = (unsigned)(n % 1000);
		n /= 1000;
		if (group[i] != 0)
			top = i;
	}
	for (i = top; i >= 0; i--) {
		if (group[i] == 0)
			continue;
		/* "one thousand and five": the last group, under 100. */
		if (i == 0 && top > 0 && group[0] < 100 && lang == SPELL_EN_GB)
			word(b, "and");
		below1000(b, group[i], lang == SPELL_EN_GB);
		if (i > 0)
			word(b, scales[i]);
	}
}

/* The start of the last word of b (after a space or a hyphen), from. */
static size_t
last_word(const struct buf *b, size_t from)
{
	size_t i = b->len;

	while (i > from && b->data[i - 1] != ' ' && b->data[i - 1] != '-')
		i--;
	return i;
}

/* Turn the last word of b into its ordinal: "twenty-one" "twenty-first". */
static void
ordinalize(struct buf *b, size_t from)
{
	static const char *const irregular[][2] = { { "one", "first" },
		{ "two", "second" }, { "three", "third" }, { "five", "fifth" },
		{ "eight", "eighth" }, { "nine", "ninth" },
		{ "twelve", "twelfth" } };
	size_t w = last_word(b, from), i;

	for (i = 0; i < sizeof(irregular) / sizeof(irregular[0]); i++) {
		if (strcmp(b->data + w, irregular[i][0]) == 0) {
			b->len = w;
			buf_addstr(b, irregular[i][1]);
			return;
		}
	}
	if (b->len > w && b->data[b->len - 1] == 'y') {
		b->len--;
		buf_addstr(b, "ieth");
	} else {
		buf_addstr(b, "th");
	}
}

/* The plural of the last word of b: "nineties", "hundreds", "sixes". */
static void
pluralize(struct buf *b, size_t from)
{
	size_t w = last_word(b, from);

	if (b->len > w && b->data[b->len - 1] == 'y') {
		b->len--;
		buf_addstr(b, "ies");
	} else if (strcmp(b->data + w, "six") == 0) {
		buf_addstr(b, "es");
	} else {
		buf_addch(b, 's');
	}
	b->data[b->len] = '\0';
}

/* A year: 1984 "nineteen eighty-four", 1905 "nineteen oh five". */
static void
year(struct buf *b, unsigned n, enum spell_lang lang)
{
	if ((n >= 2000 && n < 2010) || n < 1100 || n > 2099) {
		cardinal(b, n, lang);
		return;
	}
	below100(b, n / 100);
	if (n % 100 == 0) {
		word(b, "hundred");
	} else if (n % 100 < 10) {
		word(b, "oh");
		word(b, ones[n % 10]);
	} else {
		below100(b, n % 100);
	}
}

static void
digits(struct buf *b, const char *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		word(b, ones[d[i] - '0']);
}

/* A number as written: sign, integer digits, fraction digits. */
struct num {
	int sign;			/* '-', '+' or 0 */
	char in[MAXDIGITS + 8];		/* integer digits, commas dropped */
	size_t ni;
	char fr[MAXDIGITS + 8];
	size_t nf;
	int dot;			/* a decimal point was written */
	int grouped;			/* with thousands commas */
	int toolong;			/* more digits than fit above */
	unsigned long long v;		/* the integer part */
};

/*
 * Parse a number at the start of s: [+-]digits[,ddd...][.digits] or
 * [+-].digits.  Returns the bytes taken, 0 for none.
 */
static size_t
num_parse(const char *s, struct num *n)
{
	const char *p = s;
	size_t run;

	memset(n, 0, sizeof(*n));
	if ((*p == '-' || *p == '+') && (isdigit((unsigned char)p[1]) ||
	    (p[1] == '.' && isdigit((unsigned char)p[2]))))
		n->sign = *p++;
	for (run = 0; isdigit((unsigned char)*p); p++, run++)
		if (n->ni < sizeof(n->in) - 1)
			n->in[n->ni++] = *p;
		else
			n->toolong = 1;
	/* Thousands: 1 to 3 digits, then groups of exactly three. */
	while (run >= 1 && run <= 3 && *p == ',' &&
	    isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]) &&
	    isdigit((unsigned char)p[3]) && !isdigit((unsigned char)p[4])) {
		if (n->ni + 3 < sizeof(n->in))
			memcpy(n->in + n->ni, p + 1, 3), n->ni += 3;
		else
			n->toolong = 1;
		n->grouped = 1;
		p += 4;
		run = 3;
	}
	if (*p == '.' && isdigit((unsigned char)p[1])) {
		n->dot = 1;
		for (p++; isdigit((unsigned char)*p); p++)
			if (n->nf < sizeof(n->fr) - 1)
				n->fr[n->nf++] = *p;
			else
				n->toolong = 1;
	}
	if (n->ni == 0 && !n->dot)
		return 0;
	if (n->ni > MAXDIGITS)
		n->toolong = 1;
	for (run = 0; run < n->ni && !n->toolong; run++)
		n->v = n->v * 10 + (unsigned)(n->in[run] - '0');
	return (size_t)(p - s);
}

static int
is_int(const struct num *n)
{
	return !n->dot && n->ni > 0;
}

/* A bare four-digit number that reads as a year. */
static int
is_year(const struct num *n)
{
	return is_int(n) && n->sign == 0 && !n->grouped && n->ni == 4 &&
	    n->v >= 1100 && n->v <= 2099;
}

/* The integer part: digit by digit when long or with leading zeros. */
static void
say_int(struct buf *b, const struct num *n, enum spell_lang lang)
{
	if (n->ni == 0)
		return;
	if (n->toolong || (n->ni > 1 && n->in[0] == '0' && !n->grouped))
		digits(b, n->in, n->ni);
	else
		cardinal(b, n->v, lang);
}

enum { N_CARDINAL, N_YEAR };

static void
say_num(struct buf *b, const struct num *n, int style, enum spell_lang lang)
{
	if (n->sign == '-')
		word(b, "minus");
	else if (n->sign == '+')
		word(b, "plus");
	if (style == N_YEAR && is_year(n))
		year(b, (unsigned)n->v, lang);
	else
		say_int(b, n, lang);
	if (n->dot) {
		word(b, "point");
		digits(b, n->fr, n->nf);
	}
}

/* Money. */

struct currency {
	const char *sym, *one, *many, *cent, *cents;
};

static const struct currency currencies[] = {
	{ "$", "dollar", "dollars", "cent", "cents" },
	{ "\xe2\x82\xac", "euro", "euros", "cent", "cents" },	/* € */
	{ "\xc2\xa3", "pound", "pounds", "penny", "pence" },	/* £ */
	{ "\xc2\xa5", "yen", "yen", NULL, NULL },		/* ¥ */
	{ "\xe2\x82\xb9", "rupee", "rupees", "paisa", "paise" },  /* ₹ */
	{ "\xe2\x82\xa9", "won", "won", NULL, NULL },		/* ₩ */
	{ "\xe2\x82\xbf", "bitcoin", "bitcoin", NULL, NULL },	/* ₿ */
};

/* The currency whose symbol starts s, or NULL. */
static const struct currency *
currency_at(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(currencies) / sizeof(currencies[0]); i++)
		if (ag_starts_with(s, currencies[i].sym))
			return &currencies[i];
	return NULL;
}

/* Scale suffixes and words: "5k", "$2M", "$1.5bn"; "2 million". */
static const struct {
	const char *suffix, *name;
} suffixes[] = {
	{ "k", "thousand" }, { "K", "thousand" }, { "M", "million" },
	{ "mn", "million" }, { "MM", "million" }, { "B", "billion" },
	{ "bn", "billion" }, { "T", "trillion" }, { "tn", "trillion" },
};
static const char *const scale_words[] = { "hundred", "thousand", "million",
	"billion", "trillion", NULL };

static const char *
scale_suffix(const char *s, int money)
{
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (strcmp(s, suffixes[i].suffix) == 0)
			return suffixes[i].name;
	/* "$5m" is money; "5m" could be metres or minutes. */
	if (money && strcmp(s, "m") == 0)
		return "million";
	if (money && strcmp(s, "b") == 0)
		return "billion";
	return NULL;
}

static int
is_scale_word(const char *s)
{
	size_t i;

	for (i = 0; scale_words[i] != NULL; i++)
		if (strcasecmp(s, scale_words[i]) == 0)
			return 1;
	return 0;
}

/* Units after a number: "5km", "5 km", "20°C". */
static const struct {
	const char *unit, *one, *many;
} units[] = {
	{ "km", "kilometer", "kilometers" },
	{ "cm", "centimeter", "centimeters" },
	{ "mm", "millimeter", "millimeters" },
	{ "kg", "kilogram", "kilograms" },
	{ "mg", "milligram", "milligrams" },
	{ "lb", "pound", "pounds" }, { "lbs", "pounds", "pounds" },
	{ "oz", "ounce", "ounces" }, { "ft", "foot", "feet" },
	{ "mph", "mile per hour", "miles per hour" },
	{ "km/h", "kilometer per hour", "kilometers per hour" },
	{ "kph", "kilometer per hour", "kilometers per hour" },
	{ "ml", "milliliter", "milliliters" },
	{ "KB", "kilobyte", "kilobytes" }, { "MB", "megabyte", "megabytes" },
	{ "GB", "gigabyte", "gigabytes" }, { "TB", "terabyte", "terabytes" },
	{ "Hz", "hertz", "hertz" }, { "kHz", "kilohertz", "kilohertz" },
	{ "MHz", "megahertz", "megahertz" },
	{ "GHz", "gigahertz", "gigahertz" },
	{ "kW", "kilowatt", "kilowatts" },
	{ "kWh", "kilowatt hour", "kilowatt hours" },
	{ "h", "hour", "hours" }, { "hr", "hour", "hours" },
	{ "hrs", "hours", "hours" }, { "min", "minute", "minutes" },
	{ "mins", "minutes", "minutes" }, { "sec", "second", "seconds" },
	{ "secs", "seconds", "seconds" },
	{ "ms", "millisecond", "milliseconds" },
	{ "fps", "frame per second", "frames per second" },
	{ "px", "pixel", "pixels" },
	{ "\xc2\xb0" "C", "degree Celsius", "degrees Celsius" },
	{ "\xc2\xb0" "F", "degree Fahrenheit", "degrees Fahrenheit" },
	{ "\xc2\xb0", "degree", "degrees" },
};

static int
unit_find(const char *s, int alone)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(s, units[i].unit) == 0)
			return alone && strcmp(s, "h") == 0 ? -1 : (int)i;
	return -1;
}

static int
singular(const struct num *n)
{
	return is_int(n) && n->v == 1 && n->sign != '-';
}

/*
 * am/pm as written after a time: "am", "PM", "a.m" (the dot is trail).
 * Spoken as "A.M.": espeak-ng reads "A M" as "uh em", and both engines
 * say the letters of "A.M." with no pause after them.
 */
static const char *
meridiem(const char *s)
{
	if (strcasecmp(s, "am") == 0 || strcasecmp(s, "a.m") == 0 ||
	    strcasecmp(s, "a.m.") == 0)
		return "A.M.";
	if (strcasecmp(s, "pm") == 0 || strcasecmp(s, "p.m") == 0 ||
	    strcasecmp(s, "p.m.") == 0)
		return "P.M.";
	return NULL;
}

/* Abbreviations. */

enum a_flags {
	A_TITLE = 1 << 0,		/* never ends a sentence */
	A_FOLD = 1 << 1,		/* matches in any case */
	A_NUMBER = 1 << 2,		/* only before a number */
	A_SAINT = 1 << 3		/* "Saint" before a capital, else the
					 * second meaning */
};

static const struct abbr {
	const char *w, *say;
	int flags;
} abbrs[] = {
	{ "Mr.", "Mister", A_TITLE }, { "Mrs.", "Missus", A_TITLE },
	{ "Ms.", "Miz", A_TITLE }, { "Dr.", "Doctor", A_TITLE },
	{ "Prof.", "Professor", A_TITLE }, { "Gen.", "General", A_TITLE },
	{ "Capt.", "Captain", A_TITLE }, { "Sgt.", "Sergeant", A_TITLE },
	{ "Lt.", "Lieutenant", A_TITLE }, { "Rev.", "Reverend", A_TITLE },
	{ "Gov.", "Governor", A_TITLE }, { "Sen.", "Senator", A_TITLE },
	{ "Rep.", "Representative", A_TITLE },
	{ "Pres.", "President", A_TITLE }, { "Mt.", "Mount", A_TITLE },
	{ "Ft.", "Fort", A_TITLE },
	{ "St.", "Saint\0Street", A_TITLE | A_SAINT },
	{ "Jr.", "Junior", 0 }, { "Sr.", "Senior", 0 },
	{ "vs.", "versus", A_TITLE | A_FOLD }, { "vs", "versus", A_FOLD },
	{ "etc.", "et cetera", A_FOLD },
	{ "e.g.", "for example", A_TITLE | A_FOLD },
	{ "i.e.", "that is", A_TITLE | A_FOLD },
	{ "approx.", "approximately", A_TITLE | A_FOLD },
	{ "Inc.", "Incorporated", 0 }, { "Ltd.", "Limited", 0 },
	{ "Co.", "Company", 0 }, { "Corp.", "Corporation", 0 },
	{ "Bros.", "Brothers", 0 }, { "Ave.", "Avenue", 0 },
	{ "Blvd.", "Boulevard", 0 }, { "Rd.", "Road", 0 },
	{ "Dept.", "Department", 0 }, { "Univ.", "University", 0 },
	{ "Jan.", "January", 0 }, { "Feb.", "February", 0 },
	{ "Mar.", "March", 0 }, { "Apr.", "April", 0 },
	{ "Jun.", "June", 0 }, { "Jul.", "July", 0 },
	{ "Aug.", "August", 0 }, { "Sep.", "September", 0 },
	{ "Sept.", "September", 0 }, { "Oct.", "October", 0 },
	{ "Nov.", "November", 0 }, { "Dec.", "December", 0 },
	{ "No.", "number", A_TITLE | A_NUMBER },
	{ "Nos.", "numbers", A_TITLE | A_NUMBER },
	{ "a.m.", "A.M.", A_FOLD }, { "p.m.", "P.M.", A_FOLD },
	{ "w/", "with", A_FOLD }, { "w/o", "without", A_FOLD },
	{ "&", "and", 0 }, { "+", "plus", 0 }, { "=", "equals", 0 },
	{ "%", "percent", 0 }, { "@", "at", 0 }, { "#", "number", 0 },
	{ "-", ",", 0 }, { "--", ",", 0 }, { "---", ",", 0 },
};

static const struct abbr *
abbr_find(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(abbrs) / sizeof(abbrs[0]); i++)
		if ((abbrs[i].flags & A_FOLD) ? strcasecmp(s, abbrs[i].w) == 0 :
		    strcmp(s, abbrs[i].w) == 0)
			return &abbrs[i];
	return NULL;
}

/* A token cut into punctuation and core, folded. */
struct cut {
	struct buf all;			/* the folded token */
	size_t lead, end;		/* core is all[lead, end) */
	char core[256];			/* a copy, NUL-terminated */
	int toolong;			/* the core did not fit */
};

static void
cut_init(struct cut *c, const char *tok)
{
	size_t n;

	buf_init(&c->all, 0);
	c->core[0] = '\0';
	c->lead = c->end = 0;
	c->toolong = 0;
	if (tok == NULL)
		return;
	fold(tok, &c->all);
	n = c->all.len;
	while (c->lead < n && strchr(LEAD, c->all.data[c->lead]) != NULL)
		c->lead++;
	c->end = n;
	while (c->end > c->lead && strchr(TRAIL, c->all.data[c->end - 1]))
		c->end--;
	n = c->end - c->lead;
	if (n >= sizeof(c->core)) {
		n = sizeof(c->core) - 1;
		c->toolong = 1;
	}
	memcpy(c->core, buf_str(&c->all) + c->lead, n);
	c->core[n] = '\0';
}

static void
cut_release(struct cut *c)
{
	buf_release(&c->all);
}

/* Does the core of a neighbour start with a capital letter or a digit? */
static int
starts_upper(const char *tok)
{
	const char *p;
	long ch;

	if (tok == NULL)
		return 0;
	p = tok;
	while (*p != '\0' && strchr(LEAD, *p) != NULL)
		p++;
	ch = spell_utf8_next(&p);
	if (ch == 0x201c || ch == 0x2018 || ch == 0xab)	/* “ ‘ « */
		ch = spell_utf8_next(&p);
	return (ch >= 'A' && ch <= 'Z') || (ch >= 0xc0 && ch <= 0xde &&
	    ch != 0xd7) || (ch >= 0x391 && ch <= 0x42f);
}

/* Is the token (raw) a bare number, as "5" in "5 km"? */
static int
bare_number(const char *tok, struct num *n)
{
	struct cut c;
	int ok;

	if (tok == NULL)
		return 0;
	cut_init(&c, tok);
	ok = c.core[0] != '\0' && num_parse(c.core, n) == strlen(c.core);
	cut_release(&c);
	return ok;
}

/* Does the core of the token end in a digit ("9", "9:30")? */
static int
after_digit(const char *tok)
{
	struct cut c;
	size_t n;
	int ok;

	if (tok == NULL)
		return 0;
	cut_init(&c, tok);
	n = strlen(c.core);
	ok = n > 0 && isdigit((unsigned char)c.core[n - 1]);
	cut_release(&c);
	return ok;
}

/* Is the token money with no scale, as "$2" in "$2 million"? */
static const struct currency *
bare_money(const char *tok)
{
	const struct currency *cur = NULL;
	struct num n;
	struct cut c;
	const char *p;

	if (tok == NULL)
		return NULL;
	cut_init(&c, tok);
	p = c.core;
	if (*p == '-' || *p == '+')
		p++;
	if ((cur = currency_at(p)) != NULL) {
		p += strlen(cur->sym);
		if (num_parse(p, &n) != strlen(p) || n.sign != 0)
			cur = NULL;
	}
	cut_release(&c);
	return cur;
}

/* Does the next token start with a scale word ("million")? */
static int
next_is_scale(const char *tok)
{
	struct cut c;
	int ok;

	if (tok == NULL)
		return 0;
	cut_init(&c, tok);
	ok = is_scale_word(c.core) && strcasecmp(c.core, "hundred") != 0;
	cut_release(&c);
	return ok;
}

struct ctx {
	enum spell_lang lang;
	const char *prev, *next;
	int part;			/* inside a range or a compound */
};

static int numeric(const struct ctx *c, const char *s, struct buf *out);

/* "$3.50": three dollars and fifty cents; rest is what follows. */
static int
money(const struct ctx *c, const struct currency *cur, int neg,
    const struct num *n, const char *rest, struct buf *out)
{
	const char *scale = NULL;
	struct num to;
	size_t k;
	unsigned cents;

	if (n->sign != 0)
		return 0;
	if (*rest == '-' && rest[1] != '\0') {
		/* "$10-20", "$10-$20": ten to twenty dollars. */
		const char *r = rest + 1;

		if (currency_at(r) == cur)
			r += strlen(cur->sym);
		k = num_parse(r, &to);
		if (k == 0 || to.sign != 0 || (r[k] != '\0' &&
		    scale_suffix(r + k, 1) == NULL))
			return 0;
		say_num(out, n, N_CARDINAL, c->lang);
		word(out, "to");
		return money(c, cur, neg, &to, r + k, out);
	}
	if (*rest != '\0' && (scale = scale_suffix(rest, 1)) == NULL &&
	    rest[0] != '/')
		return 0;
	if (neg)
		word(out, "minus");
	if (scale != NULL || next_is_scale(c->next)) {
		say_num(out, n, N_CARDINAL, c->lang);
		if (scale != NULL) {
			word(out, scale);
			word(out, cur->many);
		}
	} else if (n->dot && n->nf == 2 && cur->cent != NULL) {
		cents = (unsigned)((n->fr[0] - '0') * 10 + (n->fr[1] - '0'));
		if (n->v > 0 || cents == 0 || n->toolong) {
			say_int(out, n, c->lang);
			word(out, n->v == 1 && !n->toolong ? cur->one :
			    cur->many);
		}
		if (cents > 0) {
			if (n->v > 0 || n->toolong)
				word(out, "and");
			cardinal(out, cents, c->lang);
			word(out, cents == 1 ? cur->cent : cur->cents);
		}
	} else {
		say_num(out, n, N_CARDINAL, c->lang);
		word(out, singular(n) ? cur->one : cur->many);
	}
	if (rest[0] == '/' && rest[1] != '\0') {	/* "$15/month" */
		word(out, "per");
		word(out, rest + 1);
	}
	return 1;
}

/* "3:30", "9:00pm", "16:9". */
static int
clocktime(const struct ctx *c, const struct num *h, const char *rest,
    struct buf *out)
{
	const char *m = rest + 1, *ampm;
	unsigned mm;

	if (!is_int(h) || h->sign != 0 || !isdigit((unsigned char)m[0]))
		return 0;
	if (isdigit((unsigned char)m[1]) && !isdigit((unsigned char)m[2]) &&
	    h->v <= 24 && (m[0] - '0') * 10 + (m[1] - '0') < 60) {
		mm = (unsigned)((m[0] - '0') * 10 + (m[1] - '0'));
		ampm = m[2] == '\0' ? NULL : meridiem(m + 2);
		if (m[2] != '\0' && ampm == NULL)
			return 0;
		cardinal(out, h->v, c->lang);
		if (mm == 0 && ampm == NULL && !(c->next != NULL &&
		    meridiem(c->next) != NULL))
			word(out, "o'clock");
		else if (mm > 0 && mm < 10)
			word(out, "oh"), word(out, ones[mm]);
		else if (mm > 0)
			cardinal(out, mm, c->lang);
		if (ampm != NULL)
			word(out, ampm);
		return 1;
	}
	/* A ratio: "16:9", "3:1". */
	for (mm = 0; isdigit((unsigned char)*m) && mm < 1000; m++)
		mm = mm * 10 + (unsigned)(*m - '0');
	if (*m != '\0')
		return 0;
	say_int(out, h, c->lang);
	word(out, "to");
	cardinal(out, mm, c->lang);
	return 1;
}

/* "1/2", "3/4", "24/7", "9/10" (nine out of ten). */
static int
fraction(const struct ctx *c, const struct num *a, const char *rest,
    struct buf *out)
{
	static const char *const one[] = { "", "", "half", "third", "quarter",
		"fifth", "sixth", "seventh", "eighth", "ninth", "tenth" };
	static const char *const many[] = { "", "", "halves", "thirds",
		"quarters", "fifths", "sixths", "sevenths", "eighths",
		"ninths", "tenths" };
	struct num d;

	if (!is_int(a) || a->sign != 0 || num_parse(rest + 1, &d) !=
	    strlen(rest + 1) || !is_int(&d) || d.sign != 0)
		return 0;
	if (a->v == 24 && d.v == 7) {
		word(out, "twenty-four seven");
		return 1;
	}
	if ((d.v == 10 || d.v == 100) && a->v > 1 && a->v <= d.v) {
		cardinal(out, a->v, c->lang);
		word(out, "out of");
		cardinal(out, d.v, c->lang);
		return 1;
	}
	if (d.v < 2 || d.v > 10 || a->v > 99)
		return 0;
	cardinal(out, a->v, c->lang);
	word(out, a->v == 1 ? one[d.v] : many[d.v]);
	return 1;
}

static const char *const months[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

/* An ISO date after its year: "-12-01" in "2024-12-01". */
static int
iso_date(const struct ctx *c, const struct num *y, const char *rest,
    struct buf *out)
{
	unsigned m, d;
	size_t mark;

	if (!is_year(y) || strlen(rest) != 6 || rest[3] != '-' ||
	    !isdigit((unsigned char)rest[1]) ||
	    !isdigit((unsigned char)rest[2]) ||
	    !isdigit((unsigned char)rest[4]) ||
	    !isdigit((unsigned char)rest[5]))
		return 0;
	m = (unsigned)((rest[1] - '0') * 10 + (rest[2] - '0'));
	d = (unsigned)((rest[4] - '0') * 10 + (rest[5] - '0'));
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	word(out, months[m - 1]);
	mark = out->len;
	cardinal(out, d, c->lang);
	ordinalize(out, mark);
	buf_addch(out, ',');
	year(out, (unsigned)y->v, c->lang);
	return 1;
}

/* A number followed by rest: "%", "th", "s", "x", "k", "km", ":30"... */
static int
numeric(const struct ctx *c, const char *s, struct buf *out)
{
	const struct currency *cur;
	const char *rest, *p = s, *w;
	struct num n, prev;
	size_t k, mark = out->len;
	int neg = 0, u;

	if ((*p == '-' || *p == '+') && currency_at(p + 1) != NULL)
		neg = *p++ == '-';
	if ((cur = currency_at(p)) != NULL)
		p += strlen(cur->sym);
	if ((k = num_parse(p, &n)) == 0)
		return 0;
	rest = p + k;
	if (cur == NULL && !neg && (cur = currency_at(rest)) != NULL) {
		rest += strlen(cur->sym);	/* "5€" */
		neg = n.sign == '-';
		n.sign = 0;
	}
	if (cur != NULL)
		return money(c, cur, neg, &n, rest, out);
	if (*rest == '\0') {
		/* "1920 x 1080" is a size, not two years. */
		int dim = (c->next != NULL && strcmp(c->next, "x") == 0) ||
		    (c->prev != NULL && strcmp(c->prev, "x") == 0);

		say_num(out, &n, dim ? N_CARDINAL : N_YEAR, c->lang);
		return 1;
	}
	if (strcmp(rest, "%") == 0) {
		say_num(out, &n, N_CARDINAL, c->lang);
		word(out, "percent");
		return 1;
	}
	if (is_int(&n) && (strcasecmp(rest, "st") == 0 ||
	    strcasecmp(rest, "nd") == 0 || strcasecmp(rest, "rd") == 0 ||
	    strcasecmp(rest, "th") == 0)) {
		say_num(out, &n, N_CARDINAL, c->lang);
		ordinalize(out, mark);
		return 1;
	}
	if (is_int(&n) && (strcmp(rest, "s") == 0 ||
	    strcmp(rest, "'s") == 0)) {
		/* "1990s" "nineteen nineties", "90s" "nineties". */
		say_num(out, &n, N_YEAR, c->lang);
		if (rest[0] == 's' || n.v % 10 == 0)
			pluralize(out, mark);
		else
			buf_addstr(out, "'s");
		return 1;
	}
	if (strcmp(rest, "x") == 0 || strcmp(rest, "X") == 0) {
		say_num(out, &n, N_CARDINAL, c->lang);
		word(out, "times");
		return 1;
	}
	if (strcmp(rest, "+") == 0) {		/* "100+ recipes" */
		say_num(out, &n, N_CARDINAL, c->lang);
		word(out, "plus");
		return 1;
	}
	if ((w = scale_suffix(rest, 0)) != NULL) {
		/* "10K followers", but "4K video" and a "5K" run. */
		if (strcmp(rest, "K") == 0 && is_int(&n) && n.v < 10)
			w = "K";
		say_num(out, &n, N_CARDINAL, c->lang);
		word(out, w);
		return 1;
	}
	if (is_int(&n) && n.v >= 1 && n.v <= 12 && n.sign == 0 &&
	    (w = meridiem(rest)) != NULL) {
		cardinal(out, n.v, c->lang);
		word(out, w);
		return 1;
	}
	if ((u = unit_find(rest, 0)) >= 0) {
		say_num(out, &n, N_CARDINAL, c->lang);
		word(out, singular(&n) ? units[u].one : units[u].many);
		return 1;
	}
	if (rest[0] == ':')
		return clocktime(c, &n, rest, out);
	if (rest[0] == '/')
		return fraction(c, &n, rest, out);
	if (iso_date(c, &n, rest, out))
		return 1;
	if (rest[0] == '-' && !c->part && num_parse(rest + 1, &prev) > 0 &&
	    prev.sign == 0) {
		/* "10-20": ten to twenty; compound() takes "5-year-old". */
		struct ctx sub = { c->lang, NULL, NULL, 1 };

		say_num(out, &n, N_YEAR, c->lang);
		if (strlen(rest + 1) == k && strncmp(rest + 1, p, k) == 0) {
			buf_addch(out, '-');	/* "50-50": fifty-fifty */
			say_num(out, &n, N_YEAR, c->lang);
			return 1;
		}
		word(out, "to");
		if (numeric(&sub, rest + 1, out))
			return 1;
		out->len = mark;
		out->data[mark] = '\0';
	}
	return 0;
}

/* A word with a digit somewhere: "COVID-19", "mid-2020s". */
static int
compound(const struct ctx *c, const char *s, struct buf *out)
{
	struct ctx sub = { c->lang, NULL, NULL, 1 };
	const char *p, *dash;
	char part[256];
	size_t n;
	int any = 0;

	if (strpbrk(s, "0123456789") == NULL || strchr(s, '-') == NULL)
		return 0;
	for (p = s; ; p = dash + 1) {
		dash = strchr(p, '-');
		n = dash ? (size_t)(dash - p) : strlen(p);
		if (n >= sizeof(part))
			n = sizeof(part) - 1;
		memcpy(part, p, n);
		part[n] = '\0';
		if (p != s)
			buf_addch(out, '-');
		if (n > 0 && numeric(&sub, part, out))
			any = 1;
		else
			buf_addstr(out, part);
		if (dash == NULL)
			break;
	}
	return any;
}

/* Spell the core of a cut token; returns how many trailing dots it took. */
static size_t
core(const struct ctx *c, struct cut *t, struct buf *out)
{
	const struct abbr *a = NULL;
	const struct currency *cur;
	const char *tail = buf_str(&t->all) + t->end;
	char dotted[260];
	struct num n;
	size_t mark = out->len;
	int u;

	/* Abbreviations, with the full stop the cut left in the trail. */
	if (tail[0] == '.') {
		snprintf(dotted, sizeof(dotted), "%s.", t->core);
		a = abbr_find(dotted);
	}
	if (a == NULL && (a = abbr_find(t->core)) != NULL)
		tail = "";
	if (a != NULL && (a->flags & A_NUMBER) && !(c->next != NULL &&
	    (isdigit((unsigned char)c->next[0]) || c->next[0] == '#')))
		a = NULL;
	if (a != NULL) {
		if (a->flags & A_SAINT)
			word(out, starts_upper(c->next) ? a->say :
			    a->say + strlen(a->say) + 1);
		else if (strcmp(a->w, "#") == 0 && c->next == NULL)
			word(out, "hashtag");
		else
			word(out, a->say);
		return tail[0] == '.' ? 1 : 0;
	}
	if (t->core[0] == '\0')
		return 0;
	/* "9:30 am": after a time or a number. */
	if (after_digit(c->prev)) {
		const char *m = meridiem(t->core);

		if (tail[0] == '.' && m == NULL) {
			snprintf(dotted, sizeof(dotted), "%s.", t->core);
			if ((m = meridiem(dotted)) != NULL) {
				word(out, m);
				return 1;
			}
		}
		if (m != NULL) {
			word(out, m);
			return 0;
		}
	}
	/* "5 km", "5 €", "1920 x 1080". */
	if (bare_number(c->prev, &n)) {
		struct num m;

		if (strcmp(t->core, "x") == 0 && bare_number(c->next, &m)) {
			word(out, "by");
			return 0;
		}

		if ((u = unit_find(t->core, 1)) >= 0) {
			word(out, singular(&n) ? units[u].one : units[u].many);
			return 0;
		}
		if ((cur = currency_at(t->core)) != NULL &&
		    strcmp(t->core, cur->sym) == 0) {
			word(out, singular(&n) ? cur->one : cur->many);
			return 0;
		}
	}
	if (is_scale_word(t->core) && (cur = bare_money(c->prev)) != NULL) {
		word(out, t->core);
		word(out, cur->many);
		return 0;
	}
	if (t->core[0] == '#' && t->core[1] != '\0') {
		word(out, isdigit((unsigned char)t->core[1]) ? "number" :
		    "hashtag");
		if (!numeric(c, t->core + 1, out))
			word(out, t->core + 1);
		return 0;
	}
	if (numeric(c, t->core, out) || compound(c, t->core, out))
		return 0;
	out->len = mark;
	if (out->data != NULL)
		out->data[mark] = '\0';
	/* "R&D", "AT&T": the ampersand is a word. */
	if (strchr(t->core, '&') != NULL && t->core[1] != '\0') {
		const char *p;

		buf_addch(out, ' ');
		for (p = t->core; *p != '\0'; p++)
			if (*p == '&')
				buf_addstr(out, " and ");
			else
				buf_addch(out, *p);
		return 0;
	}
	word(out, t->core);
	return 0;
}

/* Append punctuation, without the emphasis marks nobody says. */
static void
punct(struct buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr(MARKUP, s[i]) == NULL)
			buf_addch(out, s[i]);
}

/* One part of a folded token (no spaces inside). */
static void
part(const struct ctx *c, const char *tok, int sentence_end, struct buf *out)
{
	struct buf w = BUF_INIT;
	struct cut t;
	const char *all;
	size_t dots, i;

	cut_init(&t, tok);
	all = buf_str(&t.all);
	/* Other languages, lone punctuation, a URL longer than core[]. */
	if (c->lang == SPELL_NONE || t.end == t.lead || t.toolong) {
		punct(out, all, t.all.len);
		cut_release(&t);
		return;
	}
	/* "'90s": the apostrophe stands for the century. */
	if (t.lead > 0 && all[t.lead - 1] == '\'' &&
	    isdigit((unsigned char)t.core[0]))
		t.lead--, punct(out, all, t.lead), t.lead++;
	else
		punct(out, all, t.lead);
	dots = core(c, &t, &w);
	/* The words, without the space word() may have put first. */
	for (i = 0; i < w.len && w.data[i] == ' '; i++)
		;
	buf_addstr(out, buf_str(&w) + i);
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	punct(out, all + t.end + dots, t.all.len - t.end - dots);
	if (dots > 0 && sentence_end && strpbrk(all + t.end + dots, ".!?") ==
	    NULL && out->data[out->len - 1] != '.')
		buf_addch(out, '.');
	buf_release(&w);
	cut_release(&t);
}

void
spell_token(enum spell_lang lang, const char *prev, const char *tok,
    const char *next, int sentence_end, struct buf *out)
{
	struct buf f = BUF_INIT, one = BUF_INIT;
	struct ctx c = { lang, prev, next, 0 };
	const char *p, *sp;
	size_t start = out->len;

	/* Folding may turn one token into several ("word—word"). */
	fold(tok, &f);
	for (p = buf_str(&f); *p != '\0'; p = sp) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		sp = strchr(p, ' ');
		if (sp == NULL)
			sp = p + strlen(p);
		buf_reset(&one);
		buf_add(&one, p, (size_t)(sp - p));
		if (out->len > start)
			buf_addch(out, ' ');
		part(&c, buf_str(&one), sentence_end && *sp == '\0', out);
	}
	buf_release(&one);
	buf_release(&f);
}

/* Letters with full stops between them: "U.S", "e.g", "A.B.C". */
static int
initials(const char *s)
{
	int n;

	for (n = 1; isalpha((unsigned char)s[0]); n++, s += 2)
		if (s[1] != '.')
			return s[1] == '\0' && n > 1;
	return 0;
}

int
spell_sentence_end(enum spell_lang lang, const char *tok, const char *next)
{
	const struct abbr *a;
	struct cut t;
	char dotted[260];
	const char *all;
	size_t n;
	int end = 0;

	cut_init(&t, tok);
	all = buf_str(&t.all);
	n = t.all.len;
	while (n > 0 && strchr(CLOSERS, all[n - 1]) != NULL)
		n--;
	if (n >= 3 && strncmp(all + n - 3, "...", 3) == 0)
		end = next == NULL || starts_upper(next);
	else if (n > 0 && (all[n - 1] == '!' || all[n - 1] == '?'))
		end = 1;
	else if (n > 0 && all[n - 1] == '.') {
		end = 1;
		snprintf(dotted, sizeof(dotted), "%s.", t.core);
		if (lang != SPELL_NONE && (a = abbr_find(dotted)) != NULL)
			end = (a->flags & A_TITLE) ? 0 : next == NULL ||
			    starts_upper(next);
		else if (initials(t.core))	/* "U.S.", "A.B.C." */
			end = next == NULL || starts_upper(next);
	}
	cut_release(&t);
	return end;
}

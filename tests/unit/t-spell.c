/* t-spell - tokens written out as words before synthesis. */
#include "tap.h"
#include "media/spell.h"

static const struct {
	const char *lang, *prev, *tok, *next, *want;
} cases[] = {
	/* numbers */
	{ "en", NULL, "0", NULL, "zero" },
	{ "en", NULL, "7", NULL, "seven" },
	{ "en", NULL, "13", NULL, "thirteen" },
	{ "en", NULL, "42", NULL, "forty-two" },
	{ "en", NULL, "105", NULL, "one hundred five" },
	{ "en-GB", NULL, "105", NULL, "one hundred and five" },
	{ "en-GB", NULL, "1005", NULL, "one thousand and five" },
	{ "en", NULL, "1,000,000", NULL, "one million" },
	{ "en", NULL, "12,345", NULL, "twelve thousand three hundred "
	    "forty-five" },
	{ "en", NULL, "3.14", NULL, "three point one four" },
	{ "en", NULL, ".5", NULL, "point five" },
	{ "en", NULL, "-5", NULL, "minus five" },
	{ "en", NULL, "\xe2\x88\x92" "5", NULL, "minus five" },	/* −5 */
	{ "en", NULL, "007", NULL, "zero zero seven" },
	{ "en", NULL, "1234567890123456789", NULL, "one two three four five "
	    "six seven eight nine zero one two three four five six seven "
	    "eight nine" },
	{ "en", NULL, "10k", NULL, "ten thousand" },
	{ "en", NULL, "10K", NULL, "ten thousand" },
	{ "en", NULL, "4K", NULL, "four K" },
	{ "en", NULL, "3x", NULL, "three times" },
	{ "en", "1920", "x", "1080", "by" },
	{ "en", NULL, "1920", "x", "one thousand nine hundred twenty" },
	/* ordinals */
	{ "en", NULL, "1st", NULL, "first" },
	{ "en", NULL, "2nd", NULL, "second" },
	{ "en", NULL, "3rd", NULL, "third" },
	{ "en", NULL, "12th", NULL, "twelfth" },
	{ "en", NULL, "21st", NULL, "twenty-first" },
	{ "en", NULL, "40th", NULL, "fortieth" },
	{ "en", NULL, "100th", NULL, "one hundredth" },
	/* years and decades */
	{ "en", NULL, "2024", NULL, "twenty twenty-four" },
	{ "en", NULL, "1984", NULL, "nineteen eighty-four" },
	{ "en", NULL, "1905", NULL, "nineteen oh five" },
	{ "en", NULL, "1900", NULL, "nineteen hundred" },
	{ "en", NULL, "2000", NULL, "two thousand" },
	{ "en", NULL, "2007", NULL, "two thousand seven" },
	{ "en", NULL, "2010", NULL, "twenty ten" },
	{ "en", NULL, "1990s", NULL, "nineteen nineties" },
	{ "en", NULL, "\xe2\x80\x99" "90s", NULL, "nineties" },	/* ’90s */
	{ "en", NULL, "2020-2024", NULL, "twenty twenty to twenty "
	    "twenty-four" },
	/* currency */
	{ "en", NULL, "$200", NULL, "two hundred dollars" },
	{ "en", NULL, "$200,", NULL, "two hundred dollars," },
	{ "en", NULL, "$1", NULL, "one dollar" },
	{ "en", NULL, "$3.50", NULL, "three dollars and fifty cents" },
	{ "en", NULL, "$0.99", NULL, "ninety-nine cents" },
	{ "en", NULL, "$1.01", NULL, "one dollar and one cent" },
	{ "en", NULL, "$1.5", NULL, "one point five dollars" },
	{ "en", NULL, "-$5", NULL, "minus five dollars" },
	{ "en", NULL, "\xe2\x82\xac" "5", NULL, "five euros" },	/* €5 */
	{ "en", NULL, "5\xe2\x82\xac", NULL, "five euros" },	/* 5€ */
	{ "en", "5", "\xe2\x82\xac", NULL, "euros" },		/* 5 € */
	{ "en", NULL, "\xc2\xa3" "3.20", NULL,
	    "three pounds and twenty pence" },
	{ "en", NULL, "\xc2\xa5" "100", NULL, "one hundred yen" },
	{ "en", NULL, "$5M", NULL, "five million dollars" },
	{ "en", NULL, "$2.5bn", NULL, "two point five billion dollars" },
	{ "en", NULL, "$2", "million", "two" },
	{ "en", "$2", "million.", NULL, "million dollars." },
	{ "en", NULL, "$10-20", NULL, "ten to twenty dollars" },
	{ "en", NULL, "$15/month", NULL, "fifteen dollars per month" },
	/* percent */
	{ "en", NULL, "50%", NULL, "fifty percent" },
	{ "en", NULL, "3.5%", NULL, "three point five percent" },
	{ "en", NULL, "(50%)", NULL, "(fifty percent)" },
	{ "en", "50", "%", NULL, "percent" },
	/* times, ratios, fractions, ranges */
	{ "en", NULL, "3:30", NULL, "three thirty" },
	{ "en", NULL, "10:05", NULL, "ten oh five" },
	{ "en", NULL, "9:00", NULL, "nine o'clock" },
	{ "en", NULL, "9:00", "am", "nine" },
	{ "en", "9:00", "am", NULL, "A.M." },
	{ "en", NULL, "9:30pm", NULL, "nine thirty P.M." },
	{ "en", NULL, "9am", NULL, "nine A.M." },
	{ "en", "5", "p.m.", NULL, "P.M." },
	{ "en", "I", "am", NULL, "am" },
	{ "en", NULL, "16:9", NULL, "sixteen to nine" },
	{ "en", NULL, "1/2", NULL, "one half" },
	{ "en", NULL, "3/4", NULL, "three quarters" },
	{ "en", NULL, "2/3", NULL, "two thirds" },
	{ "en", NULL, "24/7", NULL, "twenty-four seven" },
	{ "en", NULL, "9/10", NULL, "nine out of ten" },
	{ "en", NULL, "95/100", NULL, "ninety-five out of one hundred" },
	{ "en", NULL, "2024-12-01", NULL, "December first, twenty "
	    "twenty-four" },
	{ "en", NULL, "2024-13-01", NULL, "twenty twenty-four-thirteen-zero "
	    "one" },
	{ "en", NULL, "100+", NULL, "one hundred plus" },
	{ "en", NULL, "1-on-1", NULL, "one-on-one" },
	{ "en", NULL, "10-20", NULL, "ten to twenty" },
	{ "en", NULL, "50-50", NULL, "fifty-fifty" },
	{ "en", NULL, "10\xe2\x80\x93" "20", NULL, "ten to twenty" },  /* – */
	{ "en", NULL, "5-year-old", NULL, "five-year-old" },
	{ "en", NULL, "COVID-19", NULL, "COVID-nineteen" },
	/* units */
	{ "en", NULL, "5km", NULL, "five kilometers" },
	{ "en", NULL, "1kg", NULL, "one kilogram" },
	{ "en", NULL, "2.5kg", NULL, "two point five kilograms" },
	{ "en", "5", "km", NULL, "kilometers" },
	{ "en", "1", "ft", NULL, "foot" },
	{ "en", NULL, "20\xc2\xb0" "C", NULL, "twenty degrees Celsius" },
	{ "en", NULL, "60fps", NULL, "sixty frames per second" },
	/* abbreviations */
	{ "en", NULL, "Dr.", "Smith", "Doctor" },
	{ "en", NULL, "Mr.", "Jones", "Mister" },
	{ "en", NULL, "St.", "Louis", "Saint" },
	{ "en", "Main", "St.", "is", "Street" },
	{ "en", NULL, "e.g.", "bread", "for example" },
	{ "en", NULL, "e.g.,", "bread", "for example," },
	{ "en", NULL, "i.e.", "flour", "that is" },
	{ "en", NULL, "vs.", "them", "versus" },
	{ "en", NULL, "vs", "them", "versus" },
	{ "en", NULL, "etc.", "and", "et cetera" },
	{ "en", NULL, "No.", "5", "number" },
	{ "en", "said", "no.", NULL, "no." },
	{ "en", NULL, "&", NULL, "and" },
	{ "en", NULL, "R&D", NULL, "R and D" },
	{ "en", NULL, "#1", NULL, "number one" },
	{ "en", NULL, "#sourdough", NULL, "hashtag sourdough" },
	{ "en", NULL, "w/", NULL, "with" },
	/* punctuation and typography */
	{ "en", NULL, "(2024).", NULL, "(twenty twenty-four)." },
	{ "en", NULL, "don\xe2\x80\x99t", NULL, "don't" },	/* don’t */
	{ "en", NULL, "\xe2\x80\x9cHello,\xe2\x80\x9d", NULL, "\"Hello,\"" },
	{ "en", NULL, "\xe2\x80\x94", NULL, "," },		/* — */
	{ "en", NULL, "word\xe2\x80\x94word", NULL, "word , word" },
	{ "en", NULL, "wait\xe2\x80\xa6", NULL, "wait..." },	/* … */
	{ "en", NULL, "**bold**", NULL, "bold" },
	{ "en", NULL, "-", NULL, "," },
	{ "en", NULL, "soft\xc2\xad" "ware", NULL, "software" },  /* &shy; */
	{ "en", NULL, "bad\xff" "byte", NULL, "badbyte" },
	{ "en", NULL, "caf\xc3\xa9", NULL, "caf\xc3\xa9" },	/* café */
	{ "en", NULL, "mistakes,", NULL, "mistakes," },
	/* other languages: only the folding */
	{ "de", NULL, "2024", NULL, "2024" },
	{ "de", NULL, "$200", NULL, "$200" },
	{ "de", NULL, "Dr.", NULL, "Dr." },
	{ "fr", NULL, "l\xe2\x80\x99homme", NULL, "l'homme" },
	{ "de", NULL, "\xe2\x80\x9eSo\xe2\x80\x9c", NULL, "\"So\"" },
};

static const struct {
	const char *tok, *next;
	int want;
} ends[] = {
	{ "done.", "Next", 1 }, { "done!", "next", 1 }, { "done?", NULL, 1 },
	{ "done.\"", "He", 1 }, { "(done.)", "Then", 1 },
	{ "done\xe2\x80\x9d.", "Then", 1 },
	{ "done,", "then", 0 }, { "done", "Then", 0 },
	{ "Dr.", "Smith", 0 }, { "Mr.", "Jones", 0 }, { "e.g.", "Bread", 0 },
	{ "St.", "Louis", 0 }, { "No.", "5", 0 },
	{ "etc.", "And", 1 }, { "etc.", "and", 0 }, { "etc.", NULL, 1 },
	{ "U.S.", "trends", 0 }, { "U.S.", "The", 1 },
	{ "wait...", "what", 0 }, { "wait...", "What", 1 },
	{ "wait\xe2\x80\xa6", "What", 1 }, { "3.5", "x", 0 },
	{ "p.m.", "we", 0 }, { "p.m.", "We", 1 },
};

int
main(void)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		spell_token(spell_language(cases[i].lang), cases[i].prev,
		    cases[i].tok, cases[i].next, 0, &b);
		is_str(buf_str(&b), cases[i].want, "%s: %s%s%s%s%s",
		    cases[i].lang, cases[i].prev ? cases[i].prev : "",
		    cases[i].prev ? " " : "", cases[i].tok,
		    cases[i].next ? " " : "",
		    cases[i].next ? cases[i].next : "");
	}
	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++)
		is_int(spell_sentence_end(SPELL_EN_US, ends[i].tok,
		    ends[i].next), ends[i].want, "sentence end: %s %s",
		    ends[i].tok, ends[i].next ? ends[i].next : "(end)");

	/* A token too long to be a number is passed on whole. */
	{
		struct buf t = BUF_INIT, want = BUF_INIT;

		buf_addstr(&t, "(");
		for (i = 0; i < 60; i++)
			buf_addstr(&t, "abc/");
		buf_addstr(&want, buf_str(&t));
		buf_addstr(&t, "**).");
		buf_addstr(&want, ").");
		buf_reset(&b);
		spell_token(SPELL_EN_US, NULL, buf_str(&t), NULL, 0, &b);
		is_str(buf_str(&b), buf_str(&want), "a long token stays whole");
		buf_release(&t);
		buf_release(&want);
	}

	/* An abbreviation that ends the sentence keeps its full stop. */
	buf_reset(&b);
	spell_token(SPELL_EN_US, "bread", "etc.", NULL, 1, &b);
	is_str(buf_str(&b), "et cetera.", "etc. at the end of a sentence");
	buf_reset(&b);
	spell_token(SPELL_EN_US, "bread", "etc.", "and", 0, &b);
	is_str(buf_str(&b), "et cetera", "etc. inside a sentence");
	buf_reset(&b);
	spell_token(SPELL_EN_US, "9", "p.m.", NULL, 1, &b);
	is_str(buf_str(&b), "P.M.", "one full stop for p.m. at the end");

	is_int(spell_language(NULL), SPELL_EN_US, "no language is English");
	is_int(spell_language("en-US"), SPELL_EN_US, "en-US");
	is_int(spell_language("en_GB"), SPELL_EN_GB, "en_GB");
	is_int(spell_language("en-AU"), SPELL_EN_GB, "en-AU");
	is_int(spell_language("eng"), SPELL_NONE, "eng is not en");
	is_int(spell_language("de"), SPELL_NONE, "de passes through");

	{
		const char *s = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc0\x80";
		long want[] = { 'a', 0xe9, 0x20ac, 0x1f600, -1, -1, 0 };

		for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
			is_int(spell_utf8_next(&s), want[i], "utf-8 code "
			    "point %zu", i);
	}
	ok(spell_is_space(0xa0) && spell_is_space('\n') &&
	    spell_is_space(0x3000) && !spell_is_space('a') &&
	    !spell_is_space(0x200b), "spaces");
	buf_release(&b);
	return done_testing();
}

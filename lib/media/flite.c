/*
 * flite.c - the flite engine of the voice (voice.h).
 *
 * Each sentence is one utterance.  Rather than give flite text to cut
 * into tokens its own way, the Token relation is built here, one item
 * per word of a token's spoken form, with its punctuation in the
 * "prepunctuation" and "punc" features flite's own tokenizer would set
 * and the index of the script's token in a feature of ours; then
 * utt_synth_tokens() runs the rest of the synthesis.  Afterwards every
 * Token item's daughters are the words flite said for it ("twenty-four"
 * is two), and each word's segments give its time:
 *
 *	start	R:SylStructure.daughter1.daughter1.R:Segment.p.end
 *	end	R:SylStructure.daughtern.daughtern.R:Segment.end
 *
 * in seconds from the start of the utterance, offset here by the audio
 * of the sentences before.  A word with no segments (punctuation flite
 * kept as a word) has no time and is skipped.
 *
 * flite reads bytes, not UTF-8: spoken forms are folded to ASCII first
 * (accented Latin letters to their base letters, anything else
 * dropped).  The voices are linked in (libflite1 ships them all) and
 * registered once, on first use.
 */
#include <flite/flite.h>
#include <string.h>
#include <strings.h>

#include "agency.h"
#include "media/spell.h"
#include "media/voice.h"

cst_voice *register_cmu_us_slt(const char *voxdir);
cst_voice *register_cmu_us_kal16(const char *voxdir);
cst_voice *register_cmu_us_kal(const char *voxdir);
cst_voice *register_cmu_us_awb(const char *voxdir);
cst_voice *register_cmu_us_rms(const char *voxdir);

#define PREPUNCT "\"'`({["
#define POSTPUNCT "\"'`.,:;!?(){}[]"

static const struct fvoice {
	const char *name, *desc, *gender;
	cst_voice *(*reg)(const char *);
	int rate;
	double wpm;			/* its own rate (audio.md 2.4) */
} fvoices[] = {
	{ "slt", "CMU US SLT (US English, female)", "female",
	    register_cmu_us_slt, 16000, 186 },
	{ "kal16", "CMU US KAL 16 kHz (US English, male, diphone)", "male",
	    register_cmu_us_kal16, 16000, 172 },
	{ "kal", "CMU US KAL (US English, male, diphone, 8 kHz)", "male",
	    register_cmu_us_kal, 8000, 169 },
	{ "awb", "CMU US AWB (Scottish English, male)", "male",
	    register_cmu_us_awb, 16000, 182 },
	{ "rms", "CMU US RMS (US English, male)", "male",
	    register_cmu_us_rms, 16000, 166 },
};
#define NVOICES (sizeof(fvoices) / sizeof(fvoices[0]))

static cst_voice *loaded[NVOICES];
static int ready;

/* U+00C0 to U+00FF as ASCII; "" drops the character. */
static const char *const latin1[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E",
	"I", "I", "I", "I", "D", "N", "O", "O", "O", "O", "O", "x",
	"O", "U", "U", "U", "U", "Y", "Th", "ss",
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e",
	"i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "",
	"o", "u", "u", "u", "u", "y", "th", "y",
};

static void
ascii(const char *s, struct buf *out)
{
	const char *p = s;
	long c;

	while ((c = spell_utf8_next(&p)) != 0) {
		if (c > 0 && c < 0x80)
			buf_addch(out, (int)c);
		else if (c >= 0xc0 && c <= 0xff)
			buf_addstr(out, latin1[c - 0xc0]);
		else if (c == 0x152 || c == 0x153)
			buf_addstr(out, c == 0x152 ? "OE" : "oe");
	}
}

static int
find(struct agency *ag, const char *name, cst_voice **v,
    const struct fvoice **fv)
{
	size_t i;

	if (!ready) {
		flite_init();
		ready = 1;
	}
	for (i = 0; i < NVOICES; i++)
		if (strcmp(name, fvoices[i].name) == 0)
			break;
	if (i == NVOICES)
		return ag_fail(ag, AG_USAGE, "flite has no voice '%s': slt, "
		    "kal16, kal, awb or rms", name);
	if (loaded[i] == NULL && (loaded[i] = fvoices[i].reg(NULL)) == NULL)
		return ag_fail(ag, AG_SOFTWARE, "flite: cannot load the "
		    "voice '%s'", name);
	*v = loaded[i];
	*fv = &fvoices[i];
	return AG_OK;
}

/* Add the words of one token's spoken form to the Token relation. */
static size_t
add_items(cst_relation *r, const char *spoken, size_t k, cst_item **last)
{
	struct buf a = BUF_INIT;
	char pre[32], post[32], *w, *e, *save = NULL, *name;
	const char *old;
	size_t n = 0, lp, tp;
	cst_item *it;

	ascii(spoken, &a);
	if (a.len == 0) {
		buf_release(&a);
		return 0;
	}
	for (w = strtok_r(a.data, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		for (lp = 0; w[lp] != '\0' && strchr(PREPUNCT, w[lp]) &&
		    lp < sizeof(pre) - 1; lp++)
			pre[lp] = w[lp];
		pre[lp] = '\0';
		name = w + lp;
		for (e = name + strlen(name); e > name &&
		    strchr(POSTPUNCT, e[-1]) != NULL; e--)
			;
		tp = strlen(e) < sizeof(post) ? strlen(e) : sizeof(post) - 1;
		memcpy(post, e, tp);
		post[tp] = '\0';
		*e = '\0';
		if (*name == '\0') {
			/* A lone ",": the pause belongs to the word before. */
			if (*last != NULL) {
				struct buf p = BUF_INIT;

				old = item_feat_string(*last, "punc");
				buf_addstr(&p, old ? old : "");
				buf_addstr(&p, pre);
				buf_addstr(&p, post);
				item_set_string(*last, "punc", buf_str(&p));
				buf_release(&p);
			}
			continue;
		}
		it = relation_append(r, NULL);
		item_set_string(it, "name", name);
		item_set_string(it, "whitespace", " ");
		item_set_string(it, "prepunctuation", pre);
		item_set_string(it, "punc", post);
		item_set_int(it, "agency_token", (int)k);
		*last = it;
		n++;
	}
	buf_release(&a);
	return n;
}

/* Speak tokens [from, to) of s, one sentence, onto out. */
static int
sentence(struct agency *ag, cst_voice *v, double stretch,
    struct voice_script *s, size_t from, size_t to, struct voice_audio *out)
{
	cst_utterance *u;
	cst_relation *r;
	cst_item *t, *w, *ss, *last = NULL;
	cst_wave *wav;
	size_t k, n = 0;
	double off, st, en;

	u = new_utterance();
	utt_init(u, v);
	if (stretch != 1.0)
		feat_set_float(u->features, "duration_stretch", (float)stretch);
	r = utt_relation_create(u, "Token");
	for (k = from; k < to; k++)
		n += add_items(r, s->tok[k].spoken, k, &last);
	if (n == 0) {
		delete_utterance(u);
		return AG_OK;		/* nothing to say */
	}
	if (utt_synth_tokens(u) == NULL || (wav = utt_wave(u)) == NULL ||
	    wav->num_channels != 1 || wav->sample_rate <= 0) {
		delete_utterance(u);
		return ag_fail(ag, AG_SOFTWARE, "flite: synthesis failed");
	}
	out->rate = wav->sample_rate;
	off = (double)out->frames / out->rate;
	voice_audio_add(out, wav->samples, (size_t)wav->num_samples);
	for (t = relation_head(utt_relation(u, "Token")); t != NULL;
	    t = item_next(t)) {
		k = (size_t)item_feat_int(t, "agency_token");
		for (w = item_daughter(t); w != NULL; w = item_next(w)) {
			ss = item_as(w, "SylStructure");
			if (ss == NULL || item_daughter(ss) == NULL)
				continue;
			st = ffeature_float(w, "R:SylStructure.daughter1."
			    "daughter1.R:Segment.p.end");
			en = ffeature_float(w, "R:SylStructure.daughtern."
			    "daughtern.R:Segment.end");
			voice_script_mark(s, k, off + st, off + en);
		}
	}
	delete_utterance(u);
	return AG_OK;
}

int
voice_flite_speak(struct agency *ag, const struct voice_params *p,
    struct voice_script *s, struct voice_audio *out)
{
	const struct fvoice *fv = NULL;
	cst_voice *v = NULL;
	size_t a, b;
	int rc;

	if (strncasecmp(p->language, "en", 2) != 0 || (p->language[2] !=
	    '\0' && p->language[2] != '-'))
		return ag_fail(ag, AG_USAGE, "flite speaks only English, not "
		    "'%s': use the espeak engine", p->language);
	if ((rc = find(ag, p->voice ? p->voice : "slt", &v, &fv)) != AG_OK)
		return rc;
	out->rate = fv->rate;
	for (a = 0; a < s->n; a = b) {
		for (b = a; b < s->n && !s->tok[b].sentence_end; b++)
			;
		if (b < s->n)
			b++;
		rc = sentence(ag, v, p->wpm ? fv->wpm / p->wpm : 1.0, s, a, b,
		    out);
		if (rc != AG_OK)
			return rc;
	}
	return AG_OK;
}

int
voice_flite_list(struct agency *ag, cJSON *list)
{
	cJSON *o, *langs;
	size_t i;

	(void)ag;
	for (i = 0; i < NVOICES; i++) {
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "engine", "flite");
		cJSON_AddStringToObject(o, "voice", fvoices[i].name);
		cJSON_AddStringToObject(o, "name", fvoices[i].desc);
		langs = cJSON_AddArrayToObject(o, "languages");
		cJSON_AddItemToArray(langs, cJSON_CreateString(
		    strcmp(fvoices[i].name, "awb") == 0 ? "en-gb-scotland" :
		    "en-us"));
		cJSON_AddItemToArray(langs, cJSON_CreateString("en"));
		cJSON_AddStringToObject(o, "gender", fvoices[i].gender);
		cJSON_AddNumberToObject(o, "rate", fvoices[i].rate);
		cJSON_AddItemToArray(list, o);
	}
	return AG_OK;
}

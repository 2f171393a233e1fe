/*
 * configkeys.c - every configuration key, once.
 *
 * Validation, "agency config list", the man page check and the
 * suggestions for misspelt keys all read this table.  A new key goes
 * here, in agency-config(5), and nowhere else.  Keep it sorted by name.
 */
#include <stddef.h>

#include "config.h"

const struct config_key config_keys[] = {
	{ "http", CFG_SECTION, NULL, NULL, "the HTTP client", NULL },
	{ "http.backoff", CFG_NUMBER, "0.5", NULL,
	    "first retry delay in seconds; doubles each retry", NULL },
	{ "http.connect_timeout", CFG_NUMBER, "10", NULL,
	    "seconds to establish a connection", NULL },
	{ "http.max_response", CFG_INT, "67108864", NULL,
	    "largest response body accepted, in bytes", NULL },
	{ "http.max_wait", CFG_NUMBER, "30", NULL,
	    "longest wait between retries, in seconds; a longer "
	    "Retry-After gives up with exit 75", NULL },
	{ "http.retries", CFG_INT, "3", NULL,
	    "retries after a transient failure", NULL },
	{ "http.timeout", CFG_NUMBER, "300", NULL,
	    "seconds for a whole request, including a streamed body", NULL },
	{ "http.user_agent", CFG_STRING, NULL, NULL,
	    "User-Agent header (default agency/VERSION)", NULL },
	{ "log", CFG_SECTION, NULL, NULL, "diagnostics", NULL },
	{ "log.level", CFG_STRING, "warn", "AGENCY_LOG",
	    "error, warn, info, debug or trace (or 0-4)",
	    "error,warn,info,debug,trace,0,1,2,3,4" },
	{ "media", CFG_SECTION, NULL, NULL, "the media library", NULL },
	{ "media.dir", CFG_STRING, NULL, "AGENCY_MEDIA",
	    "folder for media files (default $XDG_DATA_HOME/agency/media)",
	    NULL },
	{ "music", CFG_SECTION, NULL, NULL,
	    "music beds (agency-compose)", NULL },
	{ "music.loudness", CFG_NUMBER, "-18", NULL,
	    "integrated loudness of a bed, LUFS", NULL },
	{ "music.rate", CFG_INT, "48000", NULL,
	    "sample rate of a bed, Hz", NULL },
	{ "music.soundfont", CFG_STRING, "/usr/share/sounds/sf2/TimGM6mb.sf2",
	    "AGENCY_SOUNDFONT",
	    "General MIDI SoundFont: a file, or timgm6mb, fluidr3, "
	    "fluidr3mono, default", NULL },
	{ "music.true_peak", CFG_NUMBER, "-1.5", NULL,
	    "true-peak ceiling of a bed, dBTP", NULL },
	{ "plugins", CFG_SECTION, NULL, NULL, "plugins", NULL },
	{ "plugins.path", CFG_STRING, NULL, "AGENCY_PLUGIN_PATH",
	    "extra folders searched for agency-NAME plugins, ':'-separated",
	    NULL },
	{ "providers", CFG_SECTION, NULL, NULL,
	    "LLM providers by name", NULL },
	{ "providers.*", CFG_SECTION, NULL, NULL, "one provider", NULL },
	{ "providers.*.base_url", CFG_STRING, NULL, NULL,
	    "the provider's API base URL", NULL },
	{ "providers.gemini.base_url", CFG_STRING,
	    "https://generativelanguage.googleapis.com", "GEMINI_BASE_URL",
	    "Gemini API base URL", NULL },
	{ "providers.groq.base_url", CFG_STRING,
	    "https://api.groq.com/openai/v1", "GROQ_BASE_URL",
	    "Groq API base URL", NULL },
	{ "providers.ollama.base_url", CFG_STRING,
	    "http://127.0.0.1:11434", "OLLAMA_HOST",
	    "Ollama server URL", NULL },
	{ "providers.openai.base_url", CFG_STRING,
	    "https://api.openai.com/v1", "OPENAI_BASE_URL",
	    "OpenAI API base URL", NULL },
	{ "store", CFG_SECTION, NULL, NULL, "the shared store", NULL },
	{ "store.busy_timeout", CFG_NUMBER, "60", NULL,
	    "seconds to wait for another writer before giving up", NULL },
	{ "store.path", CFG_STRING, NULL, "AGENCY_DB",
	    "the SQLite file (default $XDG_DATA_HOME/agency/agency.db)",
	    NULL },
	{ "store.synchronous", CFG_STRING, "normal", NULL,
	    "normal (survives a crash of the program) or full (survives "
	    "power loss, slower)", "normal,full" },
	{ NULL, 0, NULL, NULL, NULL, NULL }
};

/* t-redact - secrets never printed. */
#include "tap.h"

static void
check(const char *in, const char *want, const char *what)
{
	char *got = ag_redact(in);

	is_str(got, want, "%s", what);
	free(got);
}

int
main(void)
{
	check("Authorization: Bearer sk-abc123", "Authorization: Bearer ***",
	    "bearer token in an Authorization header");
	check("authorization: Basic dXNlcjpwYXNz\r\nAccept: x",
	    "authorization: Basic ***\r\nAccept: x",
	    "header names match in any case; other headers stay");
	check("Cookie: sid=1; tok=2", "Cookie: ***", "Cookie header");
	check("x-goog-api-key: AIzaSyXXXX", "x-goog-api-key: ***",
	    "Gemini's key header");
	check("sent with Bearer eyJhbGciOi.payload.sig to x",
	    "sent with Bearer *** to x", "a bare bearer token");
	check("https://bob:hunter2@example.com/x",
	    "https://bob:***@example.com/x", "password in a URL");
	check("https://example.com/x?key=AIza123&alt=sse",
	    "https://example.com/x?key=***&alt=sse", "key= query parameter");
	check("https://open-upload.tiktokapis.com/video/?upload_id=7&upload_token=Xyz",
	    "https://open-upload.tiktokapis.com/video/?upload_id=7&upload_token=***",
	    "a TikTok upload URL's token");
	check("grant_type=refresh_token&refresh_token=r1.xyz&client_id=abc",
	    "grant_type=refresh_token&refresh_token=***&client_id=abc",
	    "secret form fields, not their neighbours");
	check("{\"api_key\": \"s3cr3t\", \"model\": \"m\"}",
	    "{\"api_key\": \"***\", \"model\": \"m\"}", "JSON member");
	check("{\"refreshJwt\":\"a\\\"b\",\"handle\":\"x\"}",
	    "{\"refreshJwt\":\"***\",\"handle\":\"x\"}",
	    "JSON member with an escaped quote");
	check("monkey=1&keyboard=2", "monkey=1&keyboard=2",
	    "names are matched whole, not as parts of words");
	check("no secrets here", "no secrets here", "plain text unchanged");

	ag_secret_add("zz-very-secret-zz");
	check("the key is zz-very-secret-zz, twice zz-very-secret-zz",
	    "the key is ***, twice ***", "registered secrets anywhere");
	ag_secret_add("abc");
	check("abc", "abc", "secrets shorter than 4 are not registered");
	ag_secret_clear();
	check("zz-very-secret-zz", "zz-very-secret-zz", "clear forgets them");
	return done_testing();
}

/*
 * t-enc - lib/core/enc.c (hex, base64, base64url, percent-encoding,
 * query parameters, random bytes) and HMAC-SHA256 (RFC 4231).
 */
#include "tap.h"

static const char *
b64(const char *s, int url)
{
	static struct buf b;

	buf_release(&b);
	buf_addstr(&b, "");
	if (url)
		ag_base64url(&b, s, strlen(s));
	else
		ag_base64(&b, s, strlen(s));
	return buf_str(&b);
}

static const char *
hmac(const char *key, size_t klen, const char *msg, size_t mlen)
{
	static struct buf b;
	struct ag_hmac h;
	unsigned char mac[32];

	buf_release(&b);
	ag_hmac_init(&h, key, klen);
	ag_hmac_update(&h, msg, mlen / 2);
	ag_hmac_update(&h, msg + mlen / 2, mlen - mlen / 2);
	ag_hmac_final(&h, mac);
	ag_hex(&b, mac, sizeof(mac));
	return buf_str(&b);
}

int
main(void)
{
	struct agency ag;
	struct buf b = BUF_INIT;
	unsigned char r1[16], r2[16], key[131];
	char *v;

	tap_tmpdir();
	tap_agency(&ag, "t-enc");
	/* RFC 4648 §10. */
	is_str(b64("", 0), "", "base64 of nothing");
	is_str(b64("f", 0), "Zg==", "base64 f");
	is_str(b64("fo", 0), "Zm8=", "base64 fo");
	is_str(b64("foo", 0), "Zm9v", "base64 foo");
	is_str(b64("foob", 0), "Zm9vYg==", "base64 foob");
	is_str(b64("fooba", 0), "Zm9vYmE=", "base64 fooba");
	is_str(b64("foobar", 0), "Zm9vYmFy", "base64 foobar");
	is_str(b64("fo", 1), "Zm8", "base64url has no padding");
	is_str(b64("\xfb\xff", 1), "-_8", "and - and _ for + and /");
	is_str(b64("\xfb\xff", 0), "+/8=", "base64 keeps + and /");

	ag_hex(&b, "\x00\x7f\xff", 3);
	is_str(buf_str(&b), "007fff", "hex");
	buf_reset(&b);
	ag_urlencode(&b, "a b&c=d/é~_-.");
	is_str(buf_str(&b), "a%20b%26c%3Dd%2F%C3%A9~_-.", "percent-encoding");
	buf_reset(&b);
	ag_form_add(&b, "grant_type", "refresh_token");
	ag_form_add(&b, "x y", "1+1");
	ag_form_add(&b, "empty", NULL);
	is_str(buf_str(&b), "grant_type=refresh_token&x%20y=1%2B1&empty=",
	    "a form body");
	buf_release(&b);

	v = ag_query_param("code=ab%2Fc&state=x+y&flag&error=", "state");
	is_str(v, "x y", "a query parameter, decoded");
	free(v);
	v = ag_query_param("code=ab%2Fc&state=x+y&flag&error=", "code");
	is_str(v, "ab/c", "percent-decoding");
	free(v);
	v = ag_query_param("code=ab%2Fc&state=x+y&flag&error=", "flag");
	is_str(v, "", "a parameter without a value");
	free(v);
	v = ag_query_param("codex=1&code=2", "code");
	is_str(v, "2", "a name is matched whole");
	free(v);
	ok(ag_query_param("a=1", "b") == NULL, "absent: NULL");
	v = ag_query_param("a=%zz%4", "a");
	is_str(v, "%zz%4", "a bad escape is kept as it is");
	free(v);

	ok(ag_random(&ag, r1, sizeof(r1)) == AG_OK &&
	    ag_random(&ag, r2, sizeof(r2)) == AG_OK &&
	    memcmp(r1, r2, sizeof(r1)) != 0, "random bytes differ");

	/* RFC 4231 test cases 1, 2 and 6 (a key longer than a block). */
	memset(key, 0x0b, 20);
	is_str(hmac((char *)key, 20, "Hi There", 8),
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	    "HMAC-SHA256, RFC 4231 case 1");
	is_str(hmac("Jefe", 4, "what do ya want for nothing?", 28),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "case 2");
	memset(key, 0xaa, sizeof(key));
	is_str(hmac((char *)key, 131, "Test Using Larger Than Block-Size Key "
	    "- Hash Key First", 54),
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	    "case 6: a long key");
	ag_release(&ag);
	return done_testing();
}

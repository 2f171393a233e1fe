/* t-sha256 - SHA-256 against the FIPS 180-4 examples, and of files. */
#include "tap.h"

static const char *
hex_of(const char *s, size_t len, size_t reps)
{
	static char hex[AG_SHA256_HEX];
	struct ag_sha256 c;
	size_t i;

	ag_sha256_init(&c);
	for (i = 0; i < reps; i++)
		ag_sha256_update(&c, s, len);
	ag_sha256_hex(&c, hex);
	return hex;
}

int
main(void)
{
	struct agency ag;
	char path[512], hex[AG_SHA256_HEX];
	const char *dir = tap_tmpdir();
	FILE *fp;
	int i;

	tap_agency(&ag, "t-sha256");
	is_str(hex_of("", 0, 1), "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855", "the empty string");
	is_str(hex_of("abc", 3, 1), "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad", "abc");
	is_str(hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmn"
	    "lmnomnopnopq", 56, 1), "248d6a61d20638b8e5c026930c3e6039"
	    "a33ce45964ff2167f6ecedd419db06c1", "two blocks (56 bytes)");
	is_str(hex_of("a", 1, 1000000), "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0", "a million a's, a byte at "
	    "a time");
	is_str(hex_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    100, 10000), "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0", "and 100 at a time");

	snprintf(path, sizeof(path), "%s/f", dir);
	fp = fopen(path, "w");
	for (i = 0; i < 200000; i++)
		fputs("abc", fp);
	fclose(fp);
	is_int(ag_sha256_file(&ag, path, hex), AG_OK, "hash a file");
	is_str(hex, hex_of("abc", 3, 200000), "the same as its bytes");
	snprintf(path, sizeof(path), "%s/none", dir);
	is_int(ag_sha256_file(&ag, path, hex), AG_NOINPUT, "a missing file");
	ok(strstr(ag.err, "cannot read") != NULL, "says so: %s", ag.err);
	ag_release(&ag);
	return done_testing();
}

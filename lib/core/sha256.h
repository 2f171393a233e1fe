/*
 * sha256.h - SHA-256 (FIPS 180-4), for addressing media by content.
 *
 * The assets table keys every file by the SHA-256 of its bytes, written
 * as 64 lower-case hex digits.  Incremental use:
 *
 *	struct ag_sha256 c;
 *	char hex[AG_SHA256_HEX];
 *	ag_sha256_init(&c);
 *	ag_sha256_update(&c, data, len);	// as often as needed
 *	ag_sha256_hex(&c, hex);			// ends the context
 *
 * ag_sha256_file() hashes a whole file; it fails like ag_read_file()
 * (AG_NOINPUT, AG_NOPERM, AG_IOERR with ag->err set).
 */
#ifndef AG_SHA256_H
#define AG_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct agency;

#define AG_SHA256_HEX 65		/* 64 digits and the NUL */

struct ag_sha256 {
	uint32_t h[8];
	uint64_t len;			/* bytes so far */
	unsigned char block[64];
	size_t fill;
};

void ag_sha256_init(struct ag_sha256 *c);
void ag_sha256_update(struct ag_sha256 *c, const void *data, size_t len);
/* The 32-byte digest; c must be initialised again before reuse. */
void ag_sha256_final(struct ag_sha256 *c, unsigned char digest[32]);
/* The digest as hex into hex (AG_SHA256_HEX bytes). */
void ag_sha256_hex(struct ag_sha256 *c, char *hex);
/* The hex digest of a whole file. */
int ag_sha256_file(struct agency *ag, const char *path, char *hex);
/* The same for len bytes from offset (len -1: to the end), feeding c. */
int ag_sha256_file_region(struct agency *ag, const char *path,
    int64_t offset, int64_t len, struct ag_sha256 *c);

/*
 * HMAC-SHA256 (RFC 2104), incremental like the hash: init with the key,
 * update with the message as often as needed, final gives 32 bytes.
 * Webhook signatures ("X-Signature-256: sha256=<hex>") use it.
 */
struct ag_hmac {
	struct ag_sha256 inner;
	unsigned char okey[64];		/* key ^ opad */
};

void ag_hmac_init(struct ag_hmac *h, const void *key, size_t keylen);
void ag_hmac_update(struct ag_hmac *h, const void *data, size_t len);
void ag_hmac_final(struct ag_hmac *h, unsigned char mac[32]);

#endif

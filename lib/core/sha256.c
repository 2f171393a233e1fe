/* sha256.c - SHA-256 as FIPS 180-4 describes it, and of whole files. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "agency.h"

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b,
	0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
	0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7,
	0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152,
	0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
	0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
	0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
	0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
compress(struct ag_sha256 *c, const unsigned char *p)
{
	uint32_t w[64], a, b, cc, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^
		    (w[i - 2] >> 10)) + w[i - 7] + (ROR(w[i - 15], 7) ^
		    ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) + w[i - 16];
	a = c->h[0];
	b = c->h[1];
	cc = c->h[2];
	d = c->h[3];
	e = c->h[4];
	f = c->h[5];
	g = c->h[6];
	h = c->h[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	c->h[5] += f;
	c->h[6] += g;
	c->h[7] += h;
}

void
ag_sha256_init(struct ag_sha256 *c)
{
	static const uint32_t h0[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	memcpy(c->h, h0, sizeof(h0));
	c->len = 0;
	c->fill = 0;
}

void
ag_sha256_update(struct ag_sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t n;

	c->len += len;
	while (len > 0) {
		if (c->fill == 0 && len >= 64) {
			compress(c, p);
			p += 64;
			len -= 64;
			continue;
		}
		n = 64 - c->fill < len ? 64 - c->fill : len;
		memcpy(c->block + c->fill, p, n);
		c->fill += n;
		p += n;
		len -= n;
		if (c->fill == 64) {
			compress(c, c->block);
			c->fill = 0;
		}
	}
}

void
ag_sha256_final(struct ag_sha256 *c, unsigned char digest[32])
{
	uint64_t bits = c->len * 8;
	int i;

	c->block[c->fill++] = 0x80;
	if (c->fill > 56) {
		memset(c->block + c->fill, 0, 64 - c->fill);
		compress(c, c->block);
		c->fill = 0;
	}
	memset(c->block + c->fill, 0, 56 - c->fill);
	for (i = 0; i < 8; i++)
		c->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress(c, c->block);
	for (i = 0; i < 32; i++)
		digest[i] = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

void
ag_sha256_hex(struct ag_sha256 *c, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char d[32];
	int i;

	ag_sha256_final(c, d);
	for (i = 0; i < 32; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[64] = '\0';
}

int
ag_sha256_file_region(struct agency *ag, const char *path, int64_t offset,
    int64_t len, struct ag_sha256 *c)
{
	char chunk[65536];
	size_t want;
	ssize_t n;
	int fd, rc = AG_OK;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return ag_fail(ag, errno == EACCES ? AG_NOPERM : AG_NOINPUT,
		    "cannot read '%s':", path);
	if (offset > 0 && lseek(fd, (off_t)offset, SEEK_SET) == -1) {
		close(fd);
		return ag_fail(ag, AG_IOERR, "cannot read '%s':", path);
	}
	while (len != 0) {
		want = sizeof(chunk);
		if (len > 0 && (int64_t)want > len)
			want = (size_t)len;
		n = read(fd, chunk, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = ag_fail(ag, AG_IOERR, "cannot read '%s':", path);
			break;
		}
		if (n == 0) {
			if (len > 0)
				rc = ag_fail(ag, AG_IOERR, "'%s' ended before "
				    "the bytes to hash", path);
			break;
		}
		ag_sha256_update(c, chunk, (size_t)n);
		if (len > 0)
			len -= n;
	}
	close(fd);
	return rc;
}

int
ag_sha256_file(struct agency *ag, const char *path, char *hex)
{
	struct ag_sha256 c;
	int rc;

	ag_sha256_init(&c);
	if ((rc = ag_sha256_file_region(ag, path, 0, -1, &c)) == AG_OK)
		ag_sha256_hex(&c, hex);
	return rc;
}

void
ag_hmac_init(struct ag_hmac *h, const void *key, size_t keylen)
{
	unsigned char k[64], ipad[64];
	struct ag_sha256 c;
	size_t i;

	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k)) {
		ag_sha256_init(&c);
		ag_sha256_update(&c, key, keylen);
		ag_sha256_final(&c, k);
	} else if (keylen > 0) {
		memcpy(k, key, keylen);
	}
	for (i = 0; i < sizeof(k); i++) {
		ipad[i] = k[i] ^ 0x36;
		h->okey[i] = k[i] ^ 0x5c;
	}
	ag_sha256_init(&h->inner);
	ag_sha256_update(&h->inner, ipad, sizeof(ipad));
}

void
ag_hmac_update(struct ag_hmac *h, const void *data, size_t len)
{
	ag_sha256_update(&h->inner, data, len);
}

void
ag_hmac_final(struct ag_hmac *h, unsigned char mac[32])
{
	unsigned char d[32];
	struct ag_sha256 outer;

	ag_sha256_final(&h->inner, d);
	ag_sha256_init(&outer);
	ag_sha256_update(&outer, h->okey, sizeof(h->okey));
	ag_sha256_update(&outer, d, sizeof(d));
	ag_sha256_final(&outer, mac);
}

/*
 * enc.h - byte encodings for the wire: hex, base64url, percent-encoding,
 * and random bytes.
 *
 * The encoders append to a caller-owned struct buf.  They are what the
 * OAuth flow (PKCE verifiers and challenges, RFC 7636; form bodies,
 * RFC 6749 appendix B), the S3 signer and the webhook signature need;
 * nothing here allocates except through the buffer.
 */
#ifndef AG_ENC_H
#define AG_ENC_H

#include <stddef.h>

struct agency;
struct buf;

/* Lower-case hex of n bytes, appended to out. */
void ag_hex(struct buf *out, const void *p, size_t n);
/* Base64url without padding (RFC 4648 §5), appended to out. */
void ag_base64url(struct buf *out, const void *p, size_t n);
/* Base64 with padding (RFC 4648 §4), for HTTP Basic credentials. */
void ag_base64(struct buf *out, const void *p, size_t n);
/*
 * Percent-encode s for a URL query or a form body: every byte but the
 * unreserved ones (A-Z a-z 0-9 - . _ ~) becomes %XX (RFC 3986 §2.3).
 */
void ag_urlencode(struct buf *out, const char *s);
/* Append "&name=value" (no '&' when out is empty), both encoded. */
void ag_form_add(struct buf *out, const char *name, const char *value);
/*
 * The value of parameter name in a query string ("a=1&b=2"), decoded
 * ('+' is a space), as a new string; NULL when absent.
 */
char *ag_query_param(const char *query, const char *name);
/* n random bytes from the kernel (getrandom); AG_OSERR if it fails. */
int ag_random(struct agency *ag, void *p, size_t n);

#endif

/* t-buf - growable buffers with a cap. */
#include "tap.h"

int
main(void)
{
	struct buf b = BUF_INIT;
	char *s;
	int i, rc = 0;

	is_str(buf_str(&b), "", "an empty buffer reads as \"\"");
	buf_addstr(&b, "abc");
	buf_addch(&b, 'd');
	buf_addf(&b, "%d-%s", 42, "x");
	is_str(b.data, "abcd42-x", "adds append and stay NUL-terminated");
	is_int(b.len, 8, "length counts bytes");
	for (i = 0; i < 10000; i++)
		rc |= buf_add(&b, "0123456789", 10);
	is_int(rc, 0, "growing to 100 kB works");
	is_int(b.len, 100008, "all of it is there");
	buf_reset(&b);
	is_int(b.len, 0, "reset empties");
	is_str(buf_str(&b), "", "and reads as \"\"");
	buf_release(&b);

	buf_init(&b, 8);
	is_int(buf_addstr(&b, "12345678"), 0, "filling to the cap works");
	is_int(buf_addch(&b, '9'), -1, "one byte over the cap is refused");
	is_int(buf_addf(&b, "%s", "x"), -1, "and so is a formatted add");
	is_str(b.data, "12345678", "a refused add changes nothing");
	s = buf_detach(&b);
	is_str(s, "12345678", "detach hands over the string");
	ok(b.data == NULL && b.len == 0, "and leaves the buffer empty");
	free(s);
	s = buf_detach(&b);
	is_str(s, "", "detaching an empty buffer gives \"\"");
	free(s);
	buf_release(&b);
	return done_testing();
}

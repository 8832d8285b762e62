/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for ws_utf8.  Besides hand-picked samples, the validator is
 * checked against a reference model built the slow, obvious way: encode
 * every scalar value, and call a byte string valid when it splits into such
 * encodings, incomplete when what is left over begins one of them.  The
 * model knows nothing of lead bytes or ranges, so it cannot share a bug
 * with the state machine.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws_utf8.h"
#include "check_run.h"

enum ref_verdict {
	REF_ACCEPT,
	REF_REJECT,
	REF_INCOMPLETE
};

/* ref_prefix[k - 1]: the k-byte proper prefixes of some encoding. */
static uint8_t	ref_pre1[1 << 8];
static uint8_t	ref_pre2[1 << 16];
static uint8_t	ref_pre3[1 << 24 >> 3];		/* a bit set */

static size_t
ref_encode(uint32_t cp, uint8_t out[4])
{
	if (cp < 0x80) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (uint8_t)(0xc0 | cp >> 6);
		out[1] = (uint8_t)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (uint8_t)(0xe0 | cp >> 12);
		out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (uint8_t)(0xf0 | cp >> 18);
	out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

static int
ref_scalar(uint32_t cp)
{
	return cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
}

static void
ref_init(void)
{
	uint8_t		b[4];
	uint32_t	cp, k;
	size_t		n;

	for (cp = 0; cp <= 0x10ffff; cp++) {
		if (!ref_scalar(cp))
			continue;
		n = ref_encode(cp, b);
		if (n > 1)
			ref_pre1[b[0]] = 1;
		if (n > 2)
			ref_pre2[b[0] << 8 | b[1]] = 1;
		if (n > 3) {
			k = (uint32_t)b[0] << 16 | b[1] << 8 | b[2];
			ref_pre3[k >> 3] |= 1 << (k & 7);
		}
	}
}

static int
ref_tail_viable(const uint8_t *p, size_t n)
{
	uint32_t	k;

	switch (n) {
	case 1:
		return ref_pre1[p[0]];
	case 2:
		return ref_pre2[p[0] << 8 | p[1]];
	default:
		k = (uint32_t)p[0] << 16 | p[1] << 8 | p[2];
		return (ref_pre3[k >> 3] >> (k & 7)) & 1;
	}
}

/* Length of the character starting at p, or 0 if it is one of none. */
static size_t
ref_char_len(const uint8_t *p, size_t n)
{
	uint8_t		b[4];
	uint32_t	cp;
	size_t		len, i;

	for (len = 1; len <= 4; len++) {
		if (len > n)
			return 0;
		cp = 0;
		/* Decode as if the encoding were len bytes long... */
		if (len == 1)
			cp = p[0];
		else {
			cp = p[0] & (0x7f >> len);
			for (i = 1; i < len; i++)
				cp = cp << 6 | (p[i] & 0x3f);
		}
		/* ...and keep it if encoding it gives the same bytes. */
		if (ref_scalar(cp) && ref_encode(cp, b) == len &&
		    memcmp(b, p, len) == 0)
			return len;
	}
	return 0;
}

static enum ref_verdict
ref_check(const uint8_t *p, size_t n)
{
	size_t	i = 0, len;

	while (i < n) {
		if ((len = ref_char_len(p + i, n - i)) == 0) {
			if (n - i <= 3 && ref_tail_viable(p + i, n - i))
				return REF_INCOMPLETE;
			return REF_REJECT;
		}
		i += len;
	}
	return REF_ACCEPT;
}

static int
state_matches(uint32_t state, enum ref_verdict v)
{
	switch (v) {
	case REF_ACCEPT:
		return state == WS_UTF8_ACCEPT;
	case REF_REJECT:
		return state == WS_UTF8_REJECT;
	default:
		return state != WS_UTF8_ACCEPT && state != WS_UTF8_REJECT;
	}
}

/* Byte by byte, every prefix gets the model's verdict. */
static void
check_prefixes(const uint8_t *p, size_t n)
{
	uint32_t	state = WS_UTF8_ACCEPT;
	size_t		i;

	for (i = 0; i < n; i++) {
		state = ws_utf8_feed(state, p + i, 1);
		if (!state_matches(state, ref_check(p, i + 1)))
			ck_abort_msg("prefix %zu of %zu: state %u, model %d",
			    i + 1, n, state, ref_check(p, i + 1));
	}
}

static const char *const	valid_samples[] = {
	"",
	"a",
	"Hello, world",
	"0123456789abcdefghijklmnopqrstuvwxyz",
	"\x7f",
	"\xc2\x80",				/* U+0080 */
	"\xdf\xbf",				/* U+07FF */
	"\xe0\xa0\x80",				/* U+0800 */
	"\xed\x9f\xbf",				/* U+D7FF */
	"\xee\x80\x80",				/* U+E000 */
	"\xef\xbf\xbd",				/* U+FFFD */
	"\xef\xbf\xbf",				/* U+FFFF */
	"\xf0\x90\x80\x80",			/* U+10000 */
	"\xf3\xbf\xbf\xbf",			/* U+FFFFF */
	"\xf4\x8f\xbf\xbf",			/* U+10FFFF */
	"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5",	/* kosme */
	"a\xc3\xa9z\xe2\x82\xac!\xf0\x9f\x98\x80.",
	"long ASCII run, long ASCII run\xc3\xa9 and more ASCII after it",
};

/* An invalid sample and the index of the byte that rules it out. */
static const struct {
	const char	*s;
	size_t		 at;
} invalid_samples[] = {
	{ "\x80", 0 },				/* lone continuation */
	{ "\xbf", 0 },
	{ "abc\x80", 3 },
	{ "\xc0\x80", 0 },			/* overlong NUL */
	{ "\xc1\xbf", 0 },			/* overlong U+007F */
	{ "\xe0\x80\x80", 1 },			/* overlong */
	{ "\xe0\x9f\xbf", 1 },			/* overlong U+07FF */
	{ "\xf0\x80\x80\x80", 1 },		/* overlong */
	{ "\xf0\x8f\xbf\xbf", 1 },		/* overlong U+FFFF */
	{ "\xed\xa0\x80", 1 },			/* U+D800 */
	{ "\xed\xbf\xbf", 1 },			/* U+DFFF */
	{ "\xed\xa0\x80\xed\xb0\x80", 1 },	/* surrogate pair */
	{ "\xf4\x90\x80\x80", 1 },		/* U+110000 */
	{ "\xf5\x80\x80\x80", 0 },
	{ "\xf8\x88\x80\x80\x80", 0 },
	{ "\xfe", 0 },
	{ "\xff", 0 },
	{ "\xc2\x41", 1 },			/* ASCII inside a character */
	{ "\xe1\x80\x41", 2 },
	{ "\xf1\x80\x80\xc0", 3 },
	{ "\xc2\xc2\x80", 1 },
	{ "\xe2\x82\xac\x80", 3 },		/* one continuation too many */
	{ "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80", 12 },
};

/* Valid up to the end, where a character is cut short. */
static const char *const	truncated_samples[] = {
	"\xc2",
	"\xe0\xa0",
	"\xe1",
	"\xed\x9f",
	"\xf0\x90\x80",
	"\xf4\x8f",
	"\xf4",
	"abc\xe2\x82",
	"\xce\xba\xe1\xbd",
};

#define NVALID		(sizeof(valid_samples) / sizeof(valid_samples[0]))
#define NINVALID	(sizeof(invalid_samples) / sizeof(invalid_samples[0]))
#define NTRUNCATED	(sizeof(truncated_samples) / \
			    sizeof(truncated_samples[0]))

static const uint8_t *
u8(const char *s)
{
	return (const uint8_t *)s;
}

START_TEST(test_valid_samples)
{
	const char	*s = valid_samples[_i];

	ck_assert_msg(ws_utf8_valid(u8(s), strlen(s)), "sample %d", _i);
	ck_assert_uint_eq(ws_utf8_feed(WS_UTF8_ACCEPT, u8(s), strlen(s)),
	    WS_UTF8_ACCEPT);
	ck_assert_int_eq(ref_check(u8(s), strlen(s)), REF_ACCEPT);
	check_prefixes(u8(s), strlen(s));
}
END_TEST

/* Rejected exactly at the offending byte, not before, and for good. */
START_TEST(test_invalid_samples)
{
	const char	*s = invalid_samples[_i].s;
	size_t		 at = invalid_samples[_i].at, n = strlen(s), i;
	uint32_t	 state = WS_UTF8_ACCEPT;

	ck_assert(!ws_utf8_valid(u8(s), n));
	ck_assert_uint_eq(ws_utf8_feed(WS_UTF8_ACCEPT, u8(s), n),
	    WS_UTF8_REJECT);
	for (i = 0; i < n; i++) {
		state = ws_utf8_feed(state, u8(s) + i, 1);
		if (i < at)
			ck_assert_msg(state != WS_UTF8_REJECT,
			    "sample %d: rejected at %zu, want %zu", _i, i, at);
		else
			ck_assert_msg(state == WS_UTF8_REJECT,
			    "sample %d: not rejected at %zu", _i, i);
	}
	/* All at once up to and including the bad byte, then not. */
	ck_assert_uint_eq(ws_utf8_feed(WS_UTF8_ACCEPT, u8(s), at + 1),
	    WS_UTF8_REJECT);
	ck_assert_uint_ne(ws_utf8_feed(WS_UTF8_ACCEPT, u8(s), at),
	    WS_UTF8_REJECT);
	check_prefixes(u8(s), n);
}
END_TEST

START_TEST(test_truncated_samples)
{
	const char	*s = truncated_samples[_i];
	uint32_t	 state;

	state = ws_utf8_feed(WS_UTF8_ACCEPT, u8(s), strlen(s));
	ck_assert_uint_ne(state, WS_UTF8_ACCEPT);
	ck_assert_uint_ne(state, WS_UTF8_REJECT);
	ck_assert(!ws_utf8_valid(u8(s), strlen(s)));
	check_prefixes(u8(s), strlen(s));
}
END_TEST

/* The example from the brief, one byte at a time: REJECT at 0xa0. */
START_TEST(test_fail_fast_kosme)
{
	static const uint8_t	s[] = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc"
				    "\xce\xb5\xed\xa0\x80";
	uint32_t		state = WS_UTF8_ACCEPT;
	size_t			i;

	for (i = 0; i < 11; i++) {
		state = ws_utf8_feed(state, s + i, 1);
		ck_assert_uint_ne(state, WS_UTF8_REJECT);
	}
	ck_assert_uint_eq(state, WS_UTF8_ACCEPT);
	state = ws_utf8_feed(state, s + 11, 1);		/* 0xed */
	ck_assert_uint_ne(state, WS_UTF8_ACCEPT);
	ck_assert_uint_ne(state, WS_UTF8_REJECT);
	state = ws_utf8_feed(state, s + 12, 1);		/* 0xa0 */
	ck_assert_uint_eq(state, WS_UTF8_REJECT);
	state = ws_utf8_feed(state, s + 13, 1);
	ck_assert_uint_eq(state, WS_UTF8_REJECT);
}
END_TEST

/* Any sample split anywhere, in two or three pieces, gives one verdict. */
static void
check_splits(const uint8_t *p, size_t n)
{
	uint32_t	whole, state;
	size_t		a, b;

	whole = ws_utf8_feed(WS_UTF8_ACCEPT, p, n);
	for (a = 0; a <= n; a++)
	for (b = a; b <= n; b++) {
		state = ws_utf8_feed(WS_UTF8_ACCEPT, p, a);
		state = ws_utf8_feed(state, p + a, b - a);
		state = ws_utf8_feed(state, p + b, n - b);
		ck_assert_msg(state == whole, "split %zu/%zu of %zu", a, b,
		    n);
	}
}

START_TEST(test_splits)
{
	size_t	i;

	for (i = 0; i < NVALID; i++)
		check_splits(u8(valid_samples[i]), strlen(valid_samples[i]));
	for (i = 0; i < NINVALID; i++)
		check_splits(u8(invalid_samples[i].s),
		    strlen(invalid_samples[i].s));
	for (i = 0; i < NTRUNCATED; i++)
		check_splits(u8(truncated_samples[i]),
		    strlen(truncated_samples[i]));
}
END_TEST

START_TEST(test_sticky_and_empty)
{
	ck_assert_uint_eq(ws_utf8_feed(WS_UTF8_ACCEPT, NULL, 0),
	    WS_UTF8_ACCEPT);
	ck_assert_uint_eq(ws_utf8_feed(WS_UTF8_REJECT, NULL, 0),
	    WS_UTF8_REJECT);
	ck_assert_uint_eq(ws_utf8_feed(WS_UTF8_REJECT, u8("abcdefghijkl"),
	    12), WS_UTF8_REJECT);
	ck_assert_uint_eq(ws_utf8_feed(WS_UTF8_REJECT, u8("\xc3\xa9"), 2),
	    WS_UTF8_REJECT);
	ck_assert(ws_utf8_valid(NULL, 0));
}
END_TEST

/* Inside a character, ASCII is an error even in a long run of it. */
START_TEST(test_ascii_after_lead)
{
	static const char *const	leads[] = {
		"\xc3", "\xe2", "\xe2\x82", "\xf0\x9f", "\xf0\x9f\x98"
	};
	const uint8_t			*run = u8("abcdefghijklmnopqrstuvwxyz");
	uint32_t			 state;
	size_t				 i;

	for (i = 0; i < sizeof(leads) / sizeof(leads[0]); i++) {
		state = ws_utf8_feed(WS_UTF8_ACCEPT, u8(leads[i]),
		    strlen(leads[i]));
		ck_assert_uint_eq(ws_utf8_feed(state, run, 26),
		    WS_UTF8_REJECT);
	}
}
END_TEST

/*
 * The word-at-a-time path: one non-ASCII byte or character at every
 * position of a long ASCII buffer, at every alignment, must be seen.
 */
START_TEST(test_ascii_fast_path)
{
	uint8_t		buf[80], *p;
	size_t		align, pos, len = 64, i;
	uint32_t	state;

	for (align = 0; align < 8; align++)
	for (pos = 0; pos < len; pos++) {
		p = buf + align;
		memset(buf, 'a', sizeof(buf));
		p[pos] = 0x80;
		ck_assert_uint_eq(ws_utf8_feed(WS_UTF8_ACCEPT, p, len),
		    WS_UTF8_REJECT);
		ck_assert_uint_ne(ws_utf8_feed(WS_UTF8_ACCEPT, p, pos),
		    WS_UTF8_REJECT);
		p[pos] = 0xff;
		ck_assert(!ws_utf8_valid(p, len));
		/* A lead byte as the last byte: incomplete, not rejected. */
		p[pos] = 0xc3;
		state = ws_utf8_feed(WS_UTF8_ACCEPT, p, pos + 1);
		ck_assert_uint_ne(state, WS_UTF8_ACCEPT);
		ck_assert_uint_ne(state, WS_UTF8_REJECT);
		if (pos + 1 < len) {
			p[pos + 1] = 0xa9;
			ck_assert(ws_utf8_valid(p, len));
		}
		for (i = 0; i < len; i++)
			p[i] = (uint8_t)(i % 0x80);
		ck_assert(ws_utf8_valid(p, len));
	}
}
END_TEST

/* Every string of 1 to 3 bytes, every prefix, against the model. */
START_TEST(test_exhaustive_short)
{
	uint8_t		p[3];
	uint32_t	s1, s2, s3;
	unsigned int	a, b, c;

	for (a = 0; a < 256; a++) {
		p[0] = (uint8_t)a;
		s1 = ws_utf8_feed(WS_UTF8_ACCEPT, p, 1);
		ck_assert(state_matches(s1, ref_check(p, 1)));
		for (b = 0; b < 256; b++) {
			p[1] = (uint8_t)b;
			s2 = ws_utf8_feed(s1, p + 1, 1);
			if (!state_matches(s2, ref_check(p, 2)))
				ck_abort_msg("%02x %02x", a, b);
			for (c = 0; c < 256; c++) {
				p[2] = (uint8_t)c;
				s3 = ws_utf8_feed(s2, p + 2, 1);
				if (!state_matches(s3, ref_check(p, 3)))
					ck_abort_msg("%02x %02x %02x", a, b,
					    c);
				if (s3 != ws_utf8_feed(WS_UTF8_ACCEPT, p, 3))
					ck_abort_msg("whole %02x %02x %02x",
					    a, b, c);
			}
		}
	}
}
END_TEST

/* Four-byte strings over the bytes where the rules change. */
START_TEST(test_exhaustive_edges)
{
	static const uint8_t	edge[] = {
		0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
		0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0,
		0xf1, 0xf3, 0xf4, 0xf5, 0xf7, 0xf8, 0xff
	};
	const size_t		ne = sizeof(edge);
	uint8_t			p[4];
	size_t			a, b, c, d;

	for (a = 0; a < ne; a++)
	for (b = 0; b < ne; b++)
	for (c = 0; c < ne; c++)
	for (d = 0; d < ne; d++) {
		p[0] = edge[a];
		p[1] = edge[b];
		p[2] = edge[c];
		p[3] = edge[d];
		check_prefixes(p, 4);
		ck_assert_int_eq(ws_utf8_valid(p, 4),
		    ref_check(p, 4) == REF_ACCEPT);
	}
}
END_TEST

static uint64_t	rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 32);
}

/* Mostly-valid text with the odd random byte, in random pieces. */
START_TEST(test_random_text)
{
	uint8_t		p[96], tmp[4];
	uint32_t	state, whole;
	size_t		n, k, i, cut;
	int		round;

	for (round = 0; round < 20000; round++) {
		n = 0;
		while (n + 4 <= sizeof(p)) {
			switch (rng() % 8) {
			case 0:
				p[n++] = (uint8_t)rng();
				break;
			case 1:
			case 2:
				k = ref_encode(rng() % 0x110000, tmp);
				memcpy(p + n, tmp, k);
				n += k;
				break;
			default:
				p[n++] = (uint8_t)(' ' + rng() % 95);
				break;
			}
			if (rng() % 64 == 0)
				break;
		}
		whole = ws_utf8_feed(WS_UTF8_ACCEPT, p, n);
		ck_assert(state_matches(whole, ref_check(p, n)));
		state = WS_UTF8_ACCEPT;
		for (i = 0; i < n; i += cut) {
			cut = 1 + rng() % 17;
			if (cut > n - i)
				cut = n - i;
			state = ws_utf8_feed(state, p + i, cut);
		}
		ck_assert_uint_eq(state, whole);
	}
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite	*s = suite_create("ws_utf8");
	TCase	*tc;

	tc = tcase_create("samples");
	tcase_add_unchecked_fixture(tc, ref_init, NULL);
	tcase_add_loop_test(tc, test_valid_samples, 0, (int)NVALID);
	tcase_add_loop_test(tc, test_invalid_samples, 0, (int)NINVALID);
	tcase_add_loop_test(tc, test_truncated_samples, 0, (int)NTRUNCATED);
	tcase_add_test(tc, test_fail_fast_kosme);
	tcase_add_test(tc, test_splits);
	tcase_add_test(tc, test_sticky_and_empty);
	tcase_add_test(tc, test_ascii_after_lead);
	tcase_add_test(tc, test_ascii_fast_path);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_unchecked_fixture(tc, ref_init, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_exhaustive_short);
	tcase_add_test(tc, test_exhaustive_edges);
	tcase_add_test(tc, test_random_text);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(utf8_suite(), NULL);
}

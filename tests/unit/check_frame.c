/* SPDX-License-Identifier: ISC */
/*
 * Unit tests for ws_frame: header encoding and decoding in every length
 * form, the RFC 6455 examples byte for byte, truncated and malformed
 * headers, masking against a bytewise reference, and close codes.
 */
#include "config.h"

#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws_frame.h"
#include "check_run.h"

static const uint8_t	key_rfc[4] = { 0x37, 0xfa, 0x21, 0x3d };

/* Payload lengths at and around every boundary between length forms. */
static const uint64_t	lengths[] = {
	0, 1, 125, 126, 127, 65535, 65536, 65537,
	UINT64_C(0xffffffff), UINT64_C(0x100000000), UINT64_C(0x100000005),
	UINT64_C(0x7fffffffffffffff)
};
#define NLENGTHS	(sizeof(lengths) / sizeof(lengths[0]))

static size_t
expected_hdr_len(uint64_t len, int masked)
{
	size_t	n = len < 126 ? 2 : len < 65536 ? 4 : 10;

	return n + (masked ? 4 : 0);
}

/* Decodes from an exactly sized heap copy, so ASan sees any overread. */
static int
decode_exact(const uint8_t *p, size_t n, struct ws_frame_hdr *h)
{
	uint8_t	*copy;
	int	 rc;

	copy = malloc(n > 0 ? n : 1);
	ck_assert_ptr_nonnull(copy);
	if (n > 0)
		memcpy(copy, p, n);
	rc = ws_frame_decode(copy, n, h);
	free(copy);
	return rc;
}

static void
check_bytes(const uint8_t *got, size_t got_len, const uint8_t *want,
    size_t want_len)
{
	size_t	i;

	ck_assert_uint_eq(got_len, want_len);
	for (i = 0; i < want_len; i++)
		ck_assert_msg(got[i] == want[i], "byte %zu: %02x, want %02x",
		    i, got[i], want[i]);
}

START_TEST(test_rfc_hello_unmasked)
{
	static const uint8_t	want[] = {
		0x81, 0x05, 'H', 'e', 'l', 'l', 'o'
	};
	uint8_t			out[32];
	struct ws_frame_hdr	h;
	size_t			n;

	n = ws_frame_encode(out, sizeof(out), 1, WS_OP_TEXT,
	    (const uint8_t *)"Hello", 5, NULL);
	check_bytes(out, n, want, sizeof(want));

	ck_assert_int_eq(ws_frame_decode(want, sizeof(want), &h), 2);
	ck_assert_uint_eq(h.fin, 1);
	ck_assert_uint_eq(h.rsv, 0);
	ck_assert_uint_eq(h.opcode, WS_OP_TEXT);
	ck_assert_uint_eq(h.masked, 0);
	ck_assert_uint_eq(h.hdr_len, 2);
	ck_assert_uint_eq(h.len, 5);
}
END_TEST

START_TEST(test_rfc_hello_masked)
{
	static const uint8_t	want[] = {
		0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d,
		0x7f, 0x9f, 0x4d, 0x51, 0x58
	};
	uint8_t			out[32];
	struct ws_frame_hdr	h;
	size_t			n;

	n = ws_frame_encode(out, sizeof(out), 1, WS_OP_TEXT,
	    (const uint8_t *)"Hello", 5, key_rfc);
	check_bytes(out, n, want, sizeof(want));

	ck_assert_int_eq(ws_frame_decode(want, sizeof(want), &h), 6);
	ck_assert_uint_eq(h.fin, 1);
	ck_assert_uint_eq(h.opcode, WS_OP_TEXT);
	ck_assert_uint_eq(h.masked, 1);
	ck_assert_mem_eq(h.mask, key_rfc, 4);
	ck_assert_uint_eq(h.hdr_len, 6);
	ck_assert_uint_eq(h.len, 5);

	/* Unmasking the payload gives the text back. */
	ws_mask(out + 6, 5, h.mask, 0);
	ck_assert_mem_eq(out + 6, "Hello", 5);
}
END_TEST

START_TEST(test_rfc_fragments_and_control)
{
	static const uint8_t	frag1[] = { 0x01, 0x03, 'H', 'e', 'l' };
	static const uint8_t	frag2[] = { 0x80, 0x02, 'l', 'o' };
	static const uint8_t	ping[] = {
		0x89, 0x05, 'H', 'e', 'l', 'l', 'o'
	};
	static const uint8_t	pong[] = {
		0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d,
		0x7f, 0x9f, 0x4d, 0x51, 0x58
	};
	uint8_t			out[32];
	struct ws_frame_hdr	h;
	size_t			n;

	n = ws_frame_encode(out, sizeof(out), 0, WS_OP_TEXT,
	    (const uint8_t *)"Hel", 3, NULL);
	check_bytes(out, n, frag1, sizeof(frag1));
	n = ws_frame_encode(out, sizeof(out), 1, WS_OP_CONT,
	    (const uint8_t *)"lo", 2, NULL);
	check_bytes(out, n, frag2, sizeof(frag2));
	n = ws_frame_encode(out, sizeof(out), 1, WS_OP_PING,
	    (const uint8_t *)"Hello", 5, NULL);
	check_bytes(out, n, ping, sizeof(ping));
	n = ws_frame_encode(out, sizeof(out), 1, WS_OP_PONG,
	    (const uint8_t *)"Hello", 5, key_rfc);
	check_bytes(out, n, pong, sizeof(pong));

	ck_assert_int_eq(ws_frame_decode(frag1, sizeof(frag1), &h), 2);
	ck_assert_uint_eq(h.fin, 0);
	ck_assert_uint_eq(h.opcode, WS_OP_TEXT);
	ck_assert_int_eq(ws_frame_decode(frag2, sizeof(frag2), &h), 2);
	ck_assert_uint_eq(h.fin, 1);
	ck_assert_uint_eq(h.opcode, WS_OP_CONT);
	ck_assert_int_eq(ws_frame_decode(pong, sizeof(pong), &h), 6);
	ck_assert_uint_eq(h.opcode, WS_OP_PONG);
}
END_TEST

/* RFC 6455 5.7: 256 bytes and 64 KiB in a single unmasked binary frame. */
START_TEST(test_rfc_lengths)
{
	static const uint8_t	want256[] = { 0x82, 0x7e, 0x01, 0x00 };
	static const uint8_t	want64k[] = {
		0x82, 0x7f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00
	};
	uint8_t			out[WS_FRAME_HDR_MAX];
	struct ws_frame_hdr	h;
	size_t			n;

	n = ws_frame_encode_hdr(out, 1, WS_OP_BINARY, 256, NULL);
	check_bytes(out, n, want256, sizeof(want256));
	n = ws_frame_encode_hdr(out, 1, WS_OP_BINARY, 65536, NULL);
	check_bytes(out, n, want64k, sizeof(want64k));

	ck_assert_int_eq(ws_frame_decode(want256, sizeof(want256), &h), 4);
	ck_assert_uint_eq(h.len, 256);
	ck_assert_int_eq(ws_frame_decode(want64k, sizeof(want64k), &h), 10);
	ck_assert_uint_eq(h.len, 65536);
}
END_TEST

START_TEST(test_exact_length_bytes)
{
	static const struct {
		uint64_t	len;
		uint8_t		bytes[10];
		size_t		n;
	} cases[] = {
		{ 0, { 0x82, 0x00 }, 2 },
		{ 125, { 0x82, 0x7d }, 2 },
		{ 126, { 0x82, 0x7e, 0x00, 0x7e }, 4 },
		{ 65535, { 0x82, 0x7e, 0xff, 0xff }, 4 },
		{ 65536, { 0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0 }, 10 },
		{ UINT64_C(0x100000005),
		    { 0x82, 0x7f, 0, 0, 0, 1, 0, 0, 0, 5 }, 10 },
		{ UINT64_C(0x0102030405060708),
		    { 0x82, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8 }, 10 },
		{ UINT64_C(0x7fffffffffffffff),
		    { 0x82, 0x7f, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff }, 10 },
	};
	uint8_t			out[WS_FRAME_HDR_MAX];
	struct ws_frame_hdr	h;
	size_t			i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = ws_frame_encode_hdr(out, 1, WS_OP_BINARY, cases[i].len,
		    NULL);
		check_bytes(out, n, cases[i].bytes, cases[i].n);
		ck_assert_int_eq(ws_frame_decode(cases[i].bytes, cases[i].n,
		    &h), (int)cases[i].n);
		ck_assert_uint_eq(h.len, cases[i].len);
	}
}
END_TEST

/* Every length form, masked or not, with every flag and opcode. */
START_TEST(test_roundtrip)
{
	static const uint8_t	key[4] = { 0xde, 0xad, 0xbe, 0xef };
	uint8_t			out[WS_FRAME_HDR_MAX];
	struct ws_frame_hdr	h;
	size_t			i, n;
	int			fin, masked, op;

	for (i = 0; i < NLENGTHS; i++)
	for (masked = 0; masked <= 1; masked++)
	for (fin = 0; fin <= 1; fin++)
	for (op = 0; op <= 0xf; op++) {
		n = ws_frame_encode_hdr(out, fin, op, lengths[i],
		    masked ? key : NULL);
		ck_assert_uint_eq(n, expected_hdr_len(lengths[i], masked));
		memset(&h, 0xa5, sizeof(h));
		ck_assert_int_eq(decode_exact(out, n, &h), (int)n);
		ck_assert_uint_eq(h.fin, fin);
		ck_assert_uint_eq(h.rsv, 0);
		ck_assert_uint_eq(h.opcode, op);
		ck_assert_uint_eq(h.masked, masked);
		ck_assert_uint_eq(h.hdr_len, n);
		ck_assert_uint_eq(h.len, lengths[i]);
		if (masked)
			ck_assert_mem_eq(h.mask, key, 4);
		else
			ck_assert_mem_eq(h.mask, "\0\0\0\0", 4);
	}
}
END_TEST

/* The opcode is kept to 4 bits so it cannot spill into RSV or FIN. */
START_TEST(test_encode_opcode_masked_to_4_bits)
{
	uint8_t	out[WS_FRAME_HDR_MAX];

	ws_frame_encode_hdr(out, 0, 0xf1, 3, NULL);
	ck_assert_uint_eq(out[0], 0x01);
	ws_frame_encode_hdr(out, 1, 0x7a, 3, NULL);
	ck_assert_uint_eq(out[0], 0x8a);
}
END_TEST

START_TEST(test_decode_flags)
{
	static const struct {
		uint8_t	b0;
		int	fin, rsv, op;
	} cases[] = {
		{ 0x00, 0, 0, 0x0 },
		{ 0x80, 1, 0, 0x0 },
		{ 0xc1, 1, 4, 0x1 },	/* RSV1 */
		{ 0xa2, 1, 2, 0x2 },	/* RSV2 */
		{ 0x98, 1, 1, 0x8 },	/* RSV3 */
		{ 0x7f, 0, 7, 0xf },
		{ 0xff, 1, 7, 0xf },
	};
	struct ws_frame_hdr	h;
	uint8_t			p[2];
	size_t			i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p[0] = cases[i].b0;
		p[1] = 0x05;
		ck_assert_int_eq(ws_frame_decode(p, 2, &h), 2);
		ck_assert_int_eq(h.fin, cases[i].fin);
		ck_assert_int_eq(h.rsv, cases[i].rsv);
		ck_assert_int_eq(h.opcode, cases[i].op);
		ck_assert_uint_eq(h.len, 5);
	}
}
END_TEST

/* Every prefix of every header form is MORE, read from an exact buffer. */
START_TEST(test_truncated)
{
	static const uint8_t	key[4] = { 1, 2, 3, 4 };
	uint8_t			out[WS_FRAME_HDR_MAX];
	struct ws_frame_hdr	h;
	size_t			i, k, n;
	int			masked;

	for (i = 0; i < NLENGTHS; i++)
	for (masked = 0; masked <= 1; masked++) {
		n = ws_frame_encode_hdr(out, 1, WS_OP_BINARY, lengths[i],
		    masked ? key : NULL);
		for (k = 0; k < n; k++)
			ck_assert_msg(decode_exact(out, k, &h) ==
			    WS_DECODE_MORE, "len %llu masked %d prefix %zu",
			    (unsigned long long)lengths[i], masked, k);
		ck_assert_int_eq(decode_exact(out, n, &h), (int)n);
	}
	ck_assert_int_eq(ws_frame_decode(NULL, 0, &h), WS_DECODE_MORE);
}
END_TEST

/* Bytes after the header (payload, next frame) change nothing. */
START_TEST(test_trailing_bytes_ignored)
{
	static const uint8_t	key[4] = { 9, 8, 7, 6 };
	uint8_t			buf[WS_FRAME_HDR_MAX + 16];
	struct ws_frame_hdr	h1, h2;
	size_t			i, n;
	int			masked;

	for (i = 0; i < NLENGTHS; i++)
	for (masked = 0; masked <= 1; masked++) {
		n = ws_frame_encode_hdr(buf, 1, WS_OP_TEXT, lengths[i],
		    masked ? key : NULL);
		ck_assert_int_eq(ws_frame_decode(buf, n, &h1), (int)n);
		memset(buf + n, 0xff, sizeof(buf) - n);
		ck_assert_int_eq(ws_frame_decode(buf, sizeof(buf), &h2),
		    (int)n);
		ck_assert_uint_eq(h1.fin, h2.fin);
		ck_assert_uint_eq(h1.rsv, h2.rsv);
		ck_assert_uint_eq(h1.opcode, h2.opcode);
		ck_assert_uint_eq(h1.masked, h2.masked);
		ck_assert_mem_eq(h1.mask, h2.mask, 4);
		ck_assert_uint_eq(h1.hdr_len, h2.hdr_len);
		ck_assert_uint_eq(h1.len, h2.len);
	}
}
END_TEST

START_TEST(test_bad_len)
{
	uint8_t			p[14] = { 0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0,
				    1, 2, 3, 4 };
	struct ws_frame_hdr	h;
	size_t			k;

	ck_assert_int_eq(decode_exact(p, 10, &h), WS_DECODE_BAD_LEN);
	memset(p + 2, 0xff, 8);
	ck_assert_int_eq(decode_exact(p, 10, &h), WS_DECODE_BAD_LEN);
	p[1] = 0xff;	/* masked */
	ck_assert_int_eq(decode_exact(p, 14, &h), WS_DECODE_BAD_LEN);
	/* Until the whole header is in, it is only incomplete. */
	for (k = 0; k < 14; k++)
		ck_assert_int_eq(decode_exact(p, k, &h), WS_DECODE_MORE);
	/* The largest legal length is just below. */
	p[1] = 0x7f;
	p[2] = 0x7f;
	ck_assert_int_eq(decode_exact(p, 10, &h), 10);
	ck_assert_uint_eq(h.len, UINT64_C(0x7fffffffffffffff));
}
END_TEST

START_TEST(test_nonminimal16)
{
	static const uint16_t	bad[] = { 0, 1, 5, 124, 125 };
	uint8_t			p[8] = { 0x81, 0x7e, 0, 0, 1, 2, 3, 4 };
	struct ws_frame_hdr	h;
	size_t			i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p[1] = 0x7e;
		p[2] = bad[i] >> 8;
		p[3] = bad[i] & 0xff;
		ck_assert_int_eq(decode_exact(p, 4, &h),
		    WS_DECODE_NONMINIMAL);
		p[1] = 0xfe;
		ck_assert_int_eq(decode_exact(p, 8, &h),
		    WS_DECODE_NONMINIMAL);
	}
	p[1] = 0x7e;
	p[2] = 0;
	p[3] = 126;
	ck_assert_int_eq(decode_exact(p, 4, &h), 4);
	ck_assert_uint_eq(h.len, 126);
}
END_TEST

START_TEST(test_nonminimal64)
{
	static const uint64_t	bad[] = { 0, 1, 125, 126, 65534, 65535 };
	uint8_t			p[14] = { 0x82, 0x7f };
	struct ws_frame_hdr	h;
	size_t			i, k;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (k = 0; k < 8; k++)
			p[2 + k] = (bad[i] >> (56 - 8 * k)) & 0xff;
		p[1] = 0x7f;
		ck_assert_int_eq(decode_exact(p, 10, &h),
		    WS_DECODE_NONMINIMAL);
		p[1] = 0xff;
		ck_assert_int_eq(decode_exact(p, 14, &h),
		    WS_DECODE_NONMINIMAL);
	}
	memset(p + 2, 0, 8);
	p[1] = 0x7f;
	p[7] = 1;	/* 65536 */
	ck_assert_int_eq(decode_exact(p, 10, &h), 10);
	ck_assert_uint_eq(h.len, 65536);
}
END_TEST

START_TEST(test_encode_payload)
{
	static const uint8_t	key[4] = { 0x11, 0x22, 0x33, 0x44 };
	static uint8_t		payload[70000], want[70000];
	static uint8_t		out[70000 + WS_FRAME_HDR_MAX];
	static const size_t	sizes[] = { 0, 1, 125, 126, 65535, 65536,
				    70000 };
	struct ws_frame_hdr	h;
	size_t			i, j, n;
	int			hl, masked;

	for (j = 0; j < sizeof(payload); j++)
		payload[j] = (uint8_t)(j * 7 + 3);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	for (masked = 0; masked <= 1; masked++) {
		n = ws_frame_encode(out, sizeof(out), 1, WS_OP_BINARY,
		    payload, sizes[i], masked ? key : NULL);
		hl = ws_frame_decode(out, n, &h);
		ck_assert_int_eq(hl, (int)expected_hdr_len(sizes[i], masked));
		ck_assert_uint_eq(n, (size_t)hl + sizes[i]);
		ck_assert_uint_eq(h.len, sizes[i]);
		for (j = 0; j < sizes[i]; j++)
			want[j] = payload[j] ^ (masked ? key[j % 4] : 0);
		ck_assert_mem_eq(out + hl, want, sizes[i]);
	}
	/* No payload at all. */
	n = ws_frame_encode(out, sizeof(out), 1, WS_OP_PING, NULL, 0, key);
	ck_assert_uint_eq(n, 6);
}
END_TEST

/* Too small a buffer gives 0 and leaves it alone; the exact size works. */
START_TEST(test_encode_cap)
{
	static const uint8_t	key[4] = { 1, 2, 3, 4 };
	static const size_t	sizes[] = { 0, 1, 125, 126, 300, 65535, 65536 };
	static uint8_t		payload[65536], out[65536 + WS_FRAME_HDR_MAX];
	size_t			i, cap, need, k;
	int			masked;

	memset(payload, 'x', sizeof(payload));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	for (masked = 0; masked <= 1; masked++) {
		need = expected_hdr_len(sizes[i], masked) + sizes[i];
		for (cap = 0; cap < need; cap++) {
			/* Only caps near the boundaries matter for big ones. */
			if (cap > 20 && cap + 20 < need)
				continue;
			memset(out, 0xa5, sizeof(out));
			ck_assert_uint_eq(ws_frame_encode(out, cap, 1,
			    WS_OP_BINARY, payload, sizes[i],
			    masked ? key : NULL), 0);
			for (k = 0; k < need && out[k] == 0xa5; k++)
				;
			ck_assert_msg(k == need, "cap %zu: byte %zu written",
			    cap, k);
		}
		ck_assert_uint_eq(ws_frame_encode(out, need, 1, WS_OP_BINARY,
		    payload, sizes[i], masked ? key : NULL), need);
	}
	/* A length near SIZE_MAX must not wrap the capacity check. */
	ck_assert_uint_eq(ws_frame_encode(out, sizeof(out), 1, WS_OP_BINARY,
	    payload, SIZE_MAX - 3, NULL), 0);
}
END_TEST

static void
mask_reference(uint8_t *p, size_t n, const uint8_t key[4], uint64_t offset)
{
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] ^= key[(offset + i) % 4];
}

/* Every offset, every length up to 40, at every alignment of the start. */
START_TEST(test_mask_reference)
{
	static const uint8_t	key[4] = { 0x9a, 0x5c, 0x01, 0xf0 };
	uint8_t			buf[64], ref[64];
	uint64_t		offset;
	size_t			align, len, i;

	for (align = 0; align < 8; align++)
	for (offset = 0; offset < 8; offset++)
	for (len = 0; len <= 40; len++) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = ref[i] = (uint8_t)(i * 31 + len);
		ws_mask(buf + align, len, key, offset);
		mask_reference(ref + align, len, key, offset);
		ck_assert_msg(memcmp(buf, ref, sizeof(buf)) == 0,
		    "align %zu offset %llu len %zu", align,
		    (unsigned long long)offset, len);
	}
}
END_TEST

/* Offsets past 32 bits, where truncating the offset would show. */
START_TEST(test_mask_large_offset)
{
	static const uint8_t	key[4] = { 1, 2, 4, 8 };
	static const uint64_t	offsets[] = {
		UINT64_C(0x100000001), UINT64_C(0x100000002),
		UINT64_C(0xfffffffffffffffd), 1001
	};
	uint8_t			buf[37], ref[37];
	size_t			i;

	for (i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		memset(buf, 0, sizeof(buf));
		memset(ref, 0, sizeof(ref));
		ws_mask(buf, sizeof(buf), key, offsets[i]);
		mask_reference(ref, sizeof(ref), key, offsets[i]);
		ck_assert_mem_eq(buf, ref, sizeof(buf));
	}
}
END_TEST

/* Unmasking in pieces at every split equals unmasking at once. */
START_TEST(test_mask_pieces)
{
	static const uint8_t	key[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
	uint8_t			whole[100], split[100];
	size_t			cut, i;

	for (i = 0; i < sizeof(whole); i++)
		whole[i] = (uint8_t)i;
	ws_mask(whole, sizeof(whole), key, 0);
	for (cut = 0; cut <= sizeof(split); cut++) {
		for (i = 0; i < sizeof(split); i++)
			split[i] = (uint8_t)i;
		ws_mask(split, cut, key, 0);
		ws_mask(split + cut, sizeof(split) - cut, key, cut);
		ck_assert_mem_eq(split, whole, sizeof(whole));
		/* Masking is its own inverse. */
		ws_mask(split, sizeof(split), key, 0);
		for (i = 0; i < sizeof(split); i++)
			ck_assert_uint_eq(split[i], i);
	}
	ws_mask(NULL, 0, key, 3);
}
END_TEST

START_TEST(test_close_codes)
{
	static const unsigned int	valid[] = {
		1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011,
		3000, 3001, 3999, 4000, 4500, 4999
	};
	static const unsigned int	invalid[] = {
		0, 1, 500, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015,
		1016, 1100, 2000, 2999, 5000, 5001, 65535, 65536, UINT_MAX
	};
	unsigned int			code, count = 0;
	size_t				i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		ck_assert_msg(ws_close_code_valid(valid[i]), "%u", valid[i]);
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		ck_assert_msg(!ws_close_code_valid(invalid[i]), "%u",
		    invalid[i]);
	/* 1000-1003, 1007-1011 and 3000-4999, nothing else. */
	for (code = 0; code <= 70000; code++)
		count += ws_close_code_valid(code) != 0;
	ck_assert_uint_eq(count, 4 + 5 + 2000);
}
END_TEST

static Suite *
frame_suite(void)
{
	Suite	*s = suite_create("ws_frame");
	TCase	*tc;

	tc = tcase_create("rfc");
	tcase_add_test(tc, test_rfc_hello_unmasked);
	tcase_add_test(tc, test_rfc_hello_masked);
	tcase_add_test(tc, test_rfc_fragments_and_control);
	tcase_add_test(tc, test_rfc_lengths);
	suite_add_tcase(s, tc);

	tc = tcase_create("header");
	tcase_add_test(tc, test_exact_length_bytes);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_encode_opcode_masked_to_4_bits);
	tcase_add_test(tc, test_decode_flags);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_trailing_bytes_ignored);
	tcase_add_test(tc, test_bad_len);
	tcase_add_test(tc, test_nonminimal16);
	tcase_add_test(tc, test_nonminimal64);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_test(tc, test_encode_payload);
	tcase_add_test(tc, test_encode_cap);
	suite_add_tcase(s, tc);

	tc = tcase_create("mask");
	tcase_add_test(tc, test_mask_reference);
	tcase_add_test(tc, test_mask_large_offset);
	tcase_add_test(tc, test_mask_pieces);
	suite_add_tcase(s, tc);

	tc = tcase_create("close");
	tcase_add_test(tc, test_close_codes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(frame_suite(), NULL);
}

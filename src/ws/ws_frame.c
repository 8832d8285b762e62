/* SPDX-License-Identifier: ISC */
/*
 * RFC 6455 frame headers (section 5.2) and payload masking (section 5.3).
 * Lengths are big-endian on the wire; masking is a plain XOR, so the same
 * routine masks what we send and unmasks what we receive.
 */
#include "config.h"

#include <string.h>

#include "ws_frame.h"

#define FRAME_LEN7_MAX	125	/* largest length held in the 7-bit field */
#define FRAME_LEN16	126	/* 7-bit field value: 16-bit length follows */
#define FRAME_LEN64	127	/* 7-bit field value: 64-bit length follows */
#define FRAME_LEN16_MAX	0xffffu
#define FRAME_FIN	0x80
#define FRAME_MASKED	0x80
#define FRAME_MASK_LEN	4

static uint64_t
frame_get_be(const uint8_t *p, size_t n)
{
	uint64_t	v = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void
frame_put_be(uint8_t *p, uint64_t v, size_t n)
{
	while (n > 0) {
		p[--n] = v & 0xff;
		v >>= 8;
	}
}

/* Bytes taken by the extended length that follows the 7-bit field. */
static size_t
frame_ext_len(unsigned int len7)
{
	if (len7 == FRAME_LEN16)
		return 2;
	if (len7 == FRAME_LEN64)
		return 8;
	return 0;
}

/*
 * The spec requires the shortest form, so a longer one can only come from
 * a broken or hostile peer; the top bit must be clear (section 5.2).
 */
static int
frame_check_len(uint64_t len, size_t ext)
{
	if (ext == 8 && len >> 63 != 0)
		return WS_DECODE_BAD_LEN;
	if ((ext == 2 && len <= FRAME_LEN7_MAX) ||
	    (ext == 8 && len <= FRAME_LEN16_MAX))
		return WS_DECODE_NONMINIMAL;
	return 0;
}

int
ws_frame_decode(const uint8_t *p, size_t n, struct ws_frame_hdr *h)
{
	uint64_t	len;
	size_t		ext, need;
	int		masked, error;

	if (n < 2)
		return WS_DECODE_MORE;
	masked = (p[1] & FRAME_MASKED) != 0;
	ext = frame_ext_len(p[1] & 0x7f);
	need = 2 + ext + (masked ? FRAME_MASK_LEN : 0);
	if (n < need)
		return WS_DECODE_MORE;

	len = ext != 0 ? frame_get_be(p + 2, ext) : (uint64_t)(p[1] & 0x7f);
	if ((error = frame_check_len(len, ext)) != 0)
		return error;

	h->fin = (p[0] & FRAME_FIN) != 0;
	h->rsv = (p[0] >> 4) & 0x7;
	h->opcode = p[0] & 0x0f;
	h->masked = (uint8_t)masked;
	/* Zeroed when absent so that a decoded header is fully defined. */
	if (masked)
		memcpy(h->mask, p + 2 + ext, FRAME_MASK_LEN);
	else
		memset(h->mask, 0, FRAME_MASK_LEN);
	h->hdr_len = (uint8_t)need;
	h->len = len;
	return (int)need;
}

static size_t
frame_hdr_size(uint64_t len, int masked)
{
	size_t	size = 2 + (masked ? FRAME_MASK_LEN : 0);

	if (len > FRAME_LEN16_MAX)
		return size + 8;
	if (len > FRAME_LEN7_MAX)
		return size + 2;
	return size;
}

/* A len with the top bit set cannot be sent; callers never come near it. */
size_t
ws_frame_encode_hdr(uint8_t out[WS_FRAME_HDR_MAX], int fin, int opcode,
    uint64_t len, const uint8_t *mask)
{
	uint8_t	maskbit = mask != NULL ? FRAME_MASKED : 0;
	size_t	i;

	out[0] = (fin ? FRAME_FIN : 0) | (opcode & 0x0f);
	if (len > FRAME_LEN16_MAX) {
		out[1] = maskbit | FRAME_LEN64;
		frame_put_be(out + 2, len, 8);
		i = 10;
	} else if (len > FRAME_LEN7_MAX) {
		out[1] = maskbit | FRAME_LEN16;
		frame_put_be(out + 2, len, 2);
		i = 4;
	} else {
		out[1] = maskbit | (uint8_t)len;
		i = 2;
	}
	if (mask != NULL) {
		memcpy(out + i, mask, FRAME_MASK_LEN);
		i += FRAME_MASK_LEN;
	}
	return i;
}

size_t
ws_frame_encode(uint8_t *out, size_t cap, int fin, int opcode,
    const uint8_t *payload, size_t len, const uint8_t *mask)
{
	size_t	hlen = frame_hdr_size(len, mask != NULL);

	if (cap < hlen || cap - hlen < len)
		return 0;
	ws_frame_encode_hdr(out, fin, opcode, len, mask);
	/* payload may be NULL when empty, and memcpy() wants a valid one. */
	if (len > 0) {
		memcpy(out + hlen, payload, len);
		if (mask != NULL)
			ws_mask(out + hlen, len, mask, 0);
	}
	return hlen + len;
}

static void
mask_bytes(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t offset)
{
	size_t	i;

	for (i = 0; i < n; i++)
		p[i] ^= mask[(offset + i) & 3];
}

/*
 * Every receive goes through here, so the bulk is done 8 bytes at a time
 * with the key repeated into a word.  The word is built in memory order,
 * which makes it right on either endianness, and is rotated so that its
 * first byte lines up with the payload offset.  The head is done bytewise
 * up to an aligned address, which keeps the word loop off split cache
 * lines; memcpy() keeps the loads and stores defined whatever the address.
 */
void
ws_mask(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t offset)
{
	uint8_t		rot[8];
	uint64_t	key, w;
	size_t		head, i;

	head = (8 - ((uintptr_t)p & 7)) & 7;
	if (head > n)
		head = n;
	mask_bytes(p, head, mask, offset);
	p += head;
	n -= head;
	offset += head;

	for (i = 0; i < sizeof(rot); i++)
		rot[i] = mask[(offset + i) & 3];
	memcpy(&key, rot, sizeof(key));
	for (; n >= sizeof(w); p += sizeof(w), n -= sizeof(w)) {
		memcpy(&w, p, sizeof(w));
		w ^= key;
		memcpy(p, &w, sizeof(w));
	}
	/* Whole words keep offset & 3 unchanged. */
	mask_bytes(p, n, mask, offset);
}

/*
 * The codes RFC 6455 section 7.4 lets an endpoint send, plus the ranges
 * for libraries (3000-3999) and applications (4000-4999).  1004 is
 * reserved and 1005, 1006 and 1015 must never appear on the wire.  IANA
 * has since registered 1012-1014 (restart, try again later, bad gateway);
 * we deliberately keep to the RFC's own set, as the strictest reading of
 * the spec that peers under test are measured against, so those fail the
 * connection like the rest of the unassigned 1000-2999 space.
 */
int
ws_close_code_valid(unsigned int code)
{
	if (code >= 3000 && code <= 4999)
		return 1;
	if (code >= 1000 && code <= 1003)
		return 1;
	return code >= 1007 && code <= 1011;
}

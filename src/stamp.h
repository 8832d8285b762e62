/* SPDX-License-Identifier: ISC */
/*
 * The stamp a timed message carries at the start of its payload: a
 * sequence number and the time the message was due to be sent, so that
 * whoever receives it can tell how long it took.  It is ASCII (valid
 * UTF-8 in a text message), of a fixed length:
 *
 *	wsb1:SSSSSSSSSSSSSSSS:TTTTTTTTTTTTTTTT;
 *
 * S the sequence number of the message on its connection, from 0, and T
 * the due time in nanoseconds since the Unix epoch (CLOCK_REALTIME), each
 * as 16 lowercase hexadecimal digits.  Whatever follows is padding.  Pure
 * functions over bytes: no clock, no I/O.
 */
#ifndef STAMP_H
#define STAMP_H

#include <stddef.h>
#include <stdint.h>

#define STAMP_LEN	39

/* Writes the stamp of message seq, due at ns, into out. */
void	stamp_write(uint8_t out[STAMP_LEN], uint64_t seq, uint64_t ns);
/* Reads the stamp at the start of p[0..n): 0 and *seq, *ns, or -1 when
 * p does not begin with a whole, well-formed stamp. */
int	stamp_read(const uint8_t *p, size_t n, uint64_t *seq, uint64_t *ns);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * The message a sending kind sends (push, send): --msg, --size, --binary,
 * and its payload built once at prepare.  A timed message keeps room for
 * a stamp (stamp.h) at the start of its payload, which the sender writes
 * into each copy as it goes.
 */
#ifndef MESSAGE_H
#define MESSAGE_H

#include <stddef.h>
#include <stdint.h>

#include "args.h"
#include "job.h"

/* The options, at base, base + 1, base + 2 of a kind's table. */
#define MESSAGE_OPT_MSG		0
#define MESSAGE_OPT_SIZE	1
#define MESSAGE_OPT_BINARY	2
#define MESSAGE_OPT_COUNT	3
#define MESSAGE_OPTS(base) \
	[(base) + MESSAGE_OPT_MSG] = ARGS_VALUE("--msg", "TEXT", \
	    "the message to send (default \"yo\")"), \
	[(base) + MESSAGE_OPT_SIZE] = ARGS_NUMBER("--size", "N", 0, \
	    JOB_MAX_MESSAGE_DEFAULT, \
	    "send N bytes of generated text instead of --msg"), \
	[(base) + MESSAGE_OPT_BINARY] = ARGS_FLAG("--binary", \
	    "send binary messages, not text")

struct message {
	uint8_t		*payload;	/* size bytes, plus one */
	size_t		 size;
	int		 opcode;	/* WS_OP_TEXT or WS_OP_BINARY */
};

/*
 * Builds m from the options at base: --msg's text (default "yo"), or
 * --size bytes of generated text, as text or --binary.  With stamped, the
 * payload begins with STAMP_LEN bytes for the stamp, before --msg's text
 * or counted in --size (which must leave room for it).  Returns 0, or -1
 * with a one-line message in err.
 */
int	message_prepare(struct message *m, const struct args *a, int base,
	    int stamped, char *err, size_t errlen);
void	message_free(struct message *m);

#endif

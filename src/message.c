/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "message.h"
#include "stamp.h"
#include "ws_frame.h"
#include "ws_utf8.h"

/* Fills generated text: printable, so valid UTF-8 for text frames. */
static void
message_fill_text(uint8_t *p, size_t n)
{
	static const char	alphabet[] =
	    "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t			i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)alphabet[i % (sizeof(alphabet) - 1)];
}

/* The size asked for with --size, or --msg's length with the stamp's. */
static int
message_size(const struct args *a, int base, int stamped, size_t *size,
    char *err, size_t errlen)
{
	const char	*msg = a->value[base + MESSAGE_OPT_MSG];
	unsigned long	 n;

	if (msg != NULL && a->present[base + MESSAGE_OPT_SIZE]) {
		snprintf(err, errlen, "--msg and --size exclude each other");
		return -1;
	}
	if (msg != NULL || !a->present[base + MESSAGE_OPT_SIZE]) {
		*size = strlen(msg != NULL ? msg : "yo") +
		    (stamped ? STAMP_LEN : 0);
		return 0;
	}
	if (args_uint(a, base + MESSAGE_OPT_SIZE, 0, &n, err, errlen) == -1)
		return -1;
	if (stamped && n < STAMP_LEN) {
		snprintf(err, errlen, "--size %lu: timed messages take %d "
		    "bytes at least, for the stamp", n, STAMP_LEN);
		return -1;
	}
	*size = n;
	return 0;
}

int
message_prepare(struct message *m, const struct args *a, int base,
    int stamped, char *err, size_t errlen)
{
	const char	*msg = a->value[base + MESSAGE_OPT_MSG];
	size_t		 at = stamped ? STAMP_LEN : 0;

	m->opcode = a->present[base + MESSAGE_OPT_BINARY] ? WS_OP_BINARY :
	    WS_OP_TEXT;
	if (message_size(a, base, stamped, &m->size, err, errlen) == -1)
		return -1;
	if (a->present[base + MESSAGE_OPT_SIZE])
		msg = NULL;
	else if (msg == NULL)
		msg = "yo";
	if (msg != NULL && m->opcode == WS_OP_TEXT &&
	    !ws_utf8_valid((const uint8_t *)msg, strlen(msg))) {
		snprintf(err, errlen, "--msg is not valid UTF-8 (use "
		    "--binary)");
		return -1;
	}
	/* One byte more: malloc(0) may give NULL. */
	if ((m->payload = malloc(m->size + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (stamped)
		stamp_write(m->payload, 0, 0);
	if (msg != NULL)
		memcpy(m->payload + at, msg, m->size - at);
	else
		message_fill_text(m->payload + at, m->size - at);
	return 0;
}

void
message_free(struct message *m)
{
	free(m->payload);
	m->payload = NULL;
}

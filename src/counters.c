/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <string.h>

#include "counters.h"
#include "slot_add.h"
#include "ws_frame.h"

const struct counter_info counter_info[CTR_COUNT] = {
#define COUNTER_INFO(n, m, t, r, h)	[CTR_##n] = { #n, m, t, r, h },
	COUNTERS(COUNTER_INFO)
#undef COUNTER_INFO
};

const char *const close_label[CLOSE_COUNT] = {
#define CLOSE_LABEL(code)	[CLOSE_##code] = #code,
	CLOSE_CODES(CLOSE_LABEL)
#undef CLOSE_LABEL
	[CLOSE_OTHER] = "other",
	[CLOSE_NONE] = "none",
};

static enum close_class
close_class_of(int code)
{
	switch (code) {
#define CLOSE_CASE(code)	case code: return CLOSE_##code;
	CLOSE_CODES(CLOSE_CASE)
#undef CLOSE_CASE
	case WS_CLOSE_NO_STATUS:
		return CLOSE_NONE;
	default:
		return CLOSE_OTHER;
	}
}

void
counter_close(struct counter_slot *s, int code)
{
	slot_add(&s->closes[close_class_of(code)], 1);
}

void
counter_totals(const struct counter_slot *slots, int n,
    struct counter_totals *t)
{
	const struct counter_slot	*s;
	int				 c;

	memset(t, 0, sizeof(*t));
	for (s = slots; s < slots + n; s++) {
		for (c = 0; c < CTR_COUNT; c++)
			t->v[c] += atomic_load_explicit(&s->v[c],
			    memory_order_relaxed);
		for (c = 0; c < CLOSE_COUNT; c++)
			t->closes[c] += atomic_load_explicit(&s->closes[c],
			    memory_order_relaxed);
		histogram_add(&t->handshake, &s->handshake);
	}
}

#include "config.h"

#include "counters.h"

const struct counter_info counter_info[CTR_COUNT] = {
#define COUNTER_INFO(n, m, t, r, h)	[CTR_##n] = { #n, m, t, r, h },
	COUNTERS(COUNTER_INFO)
#undef COUNTER_INFO
};

/* SPDX-License-Identifier: ISC */
/*
 * The add both counters and histograms make to a worker's own slot.  Only
 * the slot's owner writes it, so a relaxed load and store suffice: no
 * locked instruction on the hot path, and readers, summing the slots,
 * still see whole values.  A gauge goes down by adding (uint64_t)-1; the
 * sum over slots wraps back to the right value.
 */
#ifndef SLOT_ADD_H
#define SLOT_ADD_H

#include <stdatomic.h>
#include <stdint.h>

static inline void
slot_add(_Atomic uint64_t *p, uint64_t n)
{
	uint64_t	v = atomic_load_explicit(p, memory_order_relaxed);

	atomic_store_explicit(p, v + n, memory_order_relaxed);
}

#endif

/* SPDX-License-Identifier: ISC */
/* Unit tests for timerq.c, on a real loop: entries fire once, in order,
 * never early; deleted ones never. */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include <event2/event.h>

#include "loop.h"
#include "timerq.h"
#include "check_run.h"

#define N	500
#define SPAN_US	20000		/* due within 20 ms */

struct item {
	struct timerq_entry	 e;
	uint64_t		 due;
	int			 fired;
	int			 deleted;
};

static struct item	 items[N];
static uint64_t		 last_due;
static int		 fired, early, out_of_order;

static void
item_fire(struct timerq_entry *e)
{
	struct item	*it = (struct item *)(void *)e;

	if (timerq_now() < it->due)
		early++;
	if (it->due < last_due)
		out_of_order++;
	last_due = it->due;
	it->fired++;
	fired++;
	if (fired == N - N / 4)
		event_base_loopbreak(loop_base(loop_self()));
}

START_TEST(test_order)
{
	uint64_t	now;
	int		i, deleted = 0;

	ck_assert_int_eq(loops_init(1), 0);
	ck_assert_int_eq(timerq_attach(), 0);
	srandom(1);
	now = timerq_now();
	for (i = 0; i < N; i++) {
		timerq_entry_init(&items[i].e, item_fire);
		items[i].due = now + (uint64_t)(random() % SPAN_US) * 1000;
		timerq_add(&items[i].e, items[i].due);
	}
	/* A quarter taken off again, from anywhere in the heap. */
	for (i = 0; i < N; i += 4) {
		timerq_del(&items[i].e);
		items[i].deleted = 1;
		deleted++;
	}
	timerq_del(&items[0].e);	/* twice: no harm */
	ck_assert_int_eq(deleted, N / 4);
	event_base_loop(loop_base(loop_self()), EVLOOP_NO_EXIT_ON_EMPTY);
	ck_assert_int_eq(fired, N - N / 4);
	ck_assert_int_eq(early, 0);
	ck_assert_int_eq(out_of_order, 0);
	for (i = 0; i < N; i++)
		ck_assert_int_eq(items[i].fired, !items[i].deleted);
	timerq_detach();
	loops_shutdown();
}
END_TEST

static Suite *
timerq_suite(void)
{
	Suite	*s = suite_create("timerq");
	TCase	*tc = tcase_create("heap");

	tcase_add_test(tc, test_order);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(timerq_suite(), NULL);
}

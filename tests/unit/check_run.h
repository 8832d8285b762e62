/* SPDX-License-Identifier: ISC */
/* The main of every unit test: runs its suites, fails if any test did. */
#ifndef CHECK_RUN_H
#define CHECK_RUN_H

#include <stdarg.h>
#include <stdlib.h>

#include <check.h>

/* Runs first and the suites after it, up to a NULL; returns the exit
 * status. */
static inline int
check_run(Suite *first, ...)
{
	SRunner	*sr = srunner_create(first);
	Suite	*s;
	va_list	 ap;
	int	 failed;

	va_start(ap, first);
	while ((s = va_arg(ap, Suite *)) != NULL)
		srunner_add_suite(sr, s);
	va_end(ap);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif

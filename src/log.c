/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char	*log_progname = "wsbench";
/* Read by every thread, changed by the main loop (a reload): relaxed. */
static _Atomic int	 log_level = LOG_LEVEL_INFO;

void
log_init(const char *progname, int debug)
{
	log_progname = progname;
	log_level = debug ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO;
}

void
log_set_level(int level)
{
	log_level = level;
}

/* The formats are checked where log_warn() and the others are called. */
static void	log_vemit(const char *, const char *, va_list, int)
		    __attribute__((format(printf, 2, 0)));

/* One fprintf per message, so lines from several threads never interleave. */
static void
log_vemit(const char *level, const char *fmt, va_list ap, int err)
{
	char	msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err)
		fprintf(stderr, "%s: %s%s: %s\n", log_progname, level, msg,
		    strerror(err));
	else
		fprintf(stderr, "%s: %s%s\n", log_progname, level, msg);
}

void
log_warn(const char *fmt, ...)
{
	int	err = errno;
	va_list	ap;

	va_start(ap, fmt);
	log_vemit("", fmt, ap, err);
	va_end(ap);
	errno = err;
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vemit("", fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < LOG_LEVEL_INFO)
		return;
	va_start(ap, fmt);
	log_vemit("", fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_level < LOG_LEVEL_DEBUG)
		return;
	va_start(ap, fmt);
	log_vemit("debug: ", fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	int	err = errno;
	va_list	ap;

	va_start(ap, fmt);
	log_vemit("fatal: ", fmt, ap, err);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vemit("fatal: ", fmt, ap, 0);
	va_end(ap);
	exit(1);
}

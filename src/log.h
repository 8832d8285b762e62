/* SPDX-License-Identifier: ISC */
/* Logging to stderr, the way a foreground (systemd) daemon does it. */
#ifndef LOG_H
#define LOG_H

#include <stdarg.h>

/* What is logged: warnings always, information and debugging at will. */
#define LOG_LEVEL_WARNING	0
#define LOG_LEVEL_INFO		1
#define LOG_LEVEL_DEBUG		2

void	log_init(const char *progname, int debug);
void	log_set_level(int level);
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For broken invariants only: logs and exits. */
void	fatal(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif

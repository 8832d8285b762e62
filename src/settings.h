/* SPDX-License-Identifier: ISC */
/*
 * The daemon's own settings, set by `set NAME VALUE` lines of the config
 * file (and a few by wsbenchctl at run time), overridden by command-line
 * options.  A config file is read whole before it counts: its set lines
 * are staged while it is checked and committed once it has no error, so a
 * refused reload changes no setting either.  A setting the file leaves out
 * has its default.
 */
#ifndef SETTINGS_H
#define SETTINGS_H

#include <stddef.h>

enum setting {
	SET_CONTROL_SOCKET,
	SET_CONTROL_MODE,
	SET_CONTROL_GROUP,
	SET_CONTROL_READ_GROUP,
	SET_METRICS_LISTEN,
	SET_THREADS,
	SET_LOG_LEVEL,
	SET_MAX_MESSAGE,
	SET_COUNT
};

/* The defaults; before anything else. */
void		 settings_init(void);
/* Sets a default the daemon works out at start (the socket path, the
 * number of threads, the metrics address, the largest message). */
void		 settings_default(enum setting, const char *value);
/* The largest value of a number setting (threads, max-message): what the
 * daemon can hold; before any is read.  Without it, none is accepted. */
void		 settings_max(enum setting, unsigned long max);
/* What the daemon does when the setting changes after the start (the
 * socket's mode and groups: a chmod and chown).  A function given for
 * several settings runs once for a change of any of them. */
void		 settings_on_change(enum setting, void (*)(void));
/* A command-line option: it holds whatever the file says. */
void		 settings_cli(enum setting, const char *value);

/* Forgets what was staged, before a config file is read. */
void		 settings_stage_reset(void);
/* A set line of the config file: checks it and stages it.  Returns 0, or
 * -1 with a message in err. */
int		 settings_stage(const char *name, const char *value, char *err,
		    size_t errlen);
/* Puts what was staged in force.  At a reload, a setting read only at
 * start that changed is logged as waiting for a restart. */
void		 settings_commit(int at_start);
/* `wsbenchctl set`: changes a setting that can change at run time. */
int		 settings_set(const char *name, const char *value, char *err,
		    size_t errlen);

/* The value in force, as text. */
const char	*settings_get(enum setting);
/* The value in force of a number setting (threads, max-message, mode). */
unsigned long	 settings_number(enum setting);
/* Whether nothing (file, command line, wsbenchctl) set it. */
int		 settings_is_default(enum setting);
/* Calls fn with each setting's name, value and where it comes from
 * ("default", "file", "command line", "wsbenchctl"). */
void		 settings_each(void (*fn)(void *, const char *name,
		    const char *value, const char *from), void *arg);
/* The name of a setting wsbenchctl may change, or NULL for one read at
 * start only (the completion of `set`). */
const char	*settings_runtime_name(enum setting);

#endif

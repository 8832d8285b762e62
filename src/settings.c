/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "paths.h"
#include "settings.h"
#include "sockaddr.h"

#define SETTING_AT_START	0x1	/* read once, when the daemon starts */

struct setting_info {
	const char	*name;
	int		 flags;
	const char	*dflt;
	int		(*check)(const char *, char *, size_t);
};

enum setting_from {
	FROM_DEFAULT,
	FROM_FILE,
	FROM_CLI,
	FROM_CTL
};

struct setting_value {
	char		*value;
	enum setting_from from;
};

static int	check_path(const char *, char *, size_t);
static int	check_mode(const char *, char *, size_t);
static int	check_group(const char *, char *, size_t);
static int	check_group_or_none(const char *, char *, size_t);
static int	check_hostport(const char *, char *, size_t);
static int	check_threads(const char *, char *, size_t);
static int	check_log_level(const char *, char *, size_t);
static int	check_max_message(const char *, char *, size_t);

static const struct setting_info setting_info[SET_COUNT] = {
	[SET_CONTROL_SOCKET] = { "control-socket", SETTING_AT_START, NULL,
	    check_path },
	[SET_CONTROL_MODE] = { "control-mode", 0, "0660", check_mode },
	[SET_CONTROL_GROUP] = { "control-group", 0, NULL, check_group },
	[SET_CONTROL_READ_GROUP] = { "control-read-group", 0, "none",
	    check_group_or_none },
	[SET_METRICS_LISTEN] = { "metrics-listen", SETTING_AT_START, NULL,
	    check_hostport },
	[SET_THREADS] = { "threads", SETTING_AT_START, NULL, check_threads },
	[SET_LOG_LEVEL] = { "log-level", 0, "info", check_log_level },
	[SET_MAX_MESSAGE] = { "max-message", 0, NULL, check_max_message },
};

static const char *const log_levels[] = { "warning", "info", "debug" };

/* A NULL value is the default; a NULL default is none (control-group
 * without a wsbench group: the daemon's own group). */
static struct setting_value	live[SET_COUNT];
static char			*dflt[SET_COUNT];
static char			*staged[SET_COUNT];
/* What the daemon can hold of a number setting (settings_max()). */
static unsigned long		 limit[SET_COUNT];
/* What the daemon does when a setting changes (settings_on_change()). */
static void			(*on_change[SET_COUNT])(void);

static int
parse_number(const char *s, int base, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char	*end;

	errno = 0;
	if (*s == '\0' || *s == '-')
		return -1;
	*out = strtoul(s, &end, base);
	return errno != 0 || *end != '\0' || *out < min || *out > max ? -1 : 0;
}

static int
check_path(const char *v, char *err, size_t errlen)
{
	struct sockaddr_un	sun;

	if (*v != '/') {
		snprintf(err, errlen, "'%s' is not an absolute path", v);
		return -1;
	}
	if (paths_unix_addr(v, &sun) == -1) {
		snprintf(err, errlen, "'%s' is too long for a socket", v);
		return -1;
	}
	return 0;
}

static int
check_mode(const char *v, char *err, size_t errlen)
{
	unsigned long	mode;

	/* The owner must keep read and write, or the daemon's own user is
	 * locked out; no set-id or sticky bits on a socket. */
	if (parse_number(v, 8, 0, 0777, &mode) == -1 || (mode & 0600) != 0600) {
		snprintf(err, errlen, "'%s' is not an octal mode from 0600 to "
		    "0777", v);
		return -1;
	}
	return 0;
}

static int
check_group(const char *v, char *err, size_t errlen)
{
	if (getgrnam(v) == NULL) {
		snprintf(err, errlen, "no group '%s'", v);
		return -1;
	}
	return 0;
}

static int
check_group_or_none(const char *v, char *err, size_t errlen)
{
	return strcmp(v, "none") == 0 ? 0 : check_group(v, err, errlen);
}

static int
check_hostport(const char *v, char *err, size_t errlen)
{
	struct sockaddr_storage	ss;
	socklen_t		len;

	if (sockaddr_parse_hostport(v, &ss, &len) == -1) {
		snprintf(err, errlen, "'%s' is not ADDRESS:PORT", v);
		return -1;
	}
	return 0;
}

/* A number in [min, max]; what says what kind, for the error. */
static int
check_number(const char *v, unsigned long min, unsigned long max,
    const char *what, char *err, size_t errlen)
{
	unsigned long	n;

	if (parse_number(v, 10, min, max, &n) == -1) {
		snprintf(err, errlen, "'%s' is not %s from %lu to %lu", v, what,
		    min, max);
		return -1;
	}
	return 0;
}

static int
check_threads(const char *v, char *err, size_t errlen)
{
	return check_number(v, 1, limit[SET_THREADS], "a number", err, errlen);
}

static int
log_level_find(const char *v)
{
	size_t	i;

	for (i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
		if (strcmp(v, log_levels[i]) == 0)
			return (int)i;
	return -1;
}

static int
check_log_level(const char *v, char *err, size_t errlen)
{
	if (log_level_find(v) == -1) {
		snprintf(err, errlen, "'%s' is not a log level (valid: "
		    "warning info debug)", v);
		return -1;
	}
	return 0;
}

static int
check_max_message(const char *v, char *err, size_t errlen)
{
	return check_number(v, 1, limit[SET_MAX_MESSAGE], "a number of bytes",
	    err, errlen);
}

static void
apply_log_level(void)
{
	log_set_level(log_level_find(settings_get(SET_LOG_LEVEL)));
}

static int
setting_find(const char *name, char *err, size_t errlen)
{
	char	names[256];
	size_t	len = 0;
	int	i;

	for (i = 0; i < SET_COUNT; i++)
		if (strcmp(name, setting_info[i].name) == 0)
			return i;
	names[0] = '\0';
	for (i = 0; i < SET_COUNT && len < sizeof(names); i++)
		len += (size_t)snprintf(names + len, sizeof(names) - len,
		    "%s%s", i > 0 ? " " : "", setting_info[i].name);
	snprintf(err, errlen, "unknown setting '%s' (valid: %s)", name, names);
	return -1;
}

static char *
xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		fatal("%s: strdup", __func__);
	return p;
}

static void
setting_put(enum setting s, const char *value, enum setting_from from)
{
	free(live[s].value);
	live[s].value = value != NULL ? xstrdup(value) : NULL;
	live[s].from = from;
}

void
settings_init(void)
{
	int	i;

	for (i = 0; i < SET_COUNT; i++)
		if (setting_info[i].dflt != NULL)
			dflt[i] = xstrdup(setting_info[i].dflt);
	on_change[SET_LOG_LEVEL] = apply_log_level;
	/* Operators are put in the wsbench group to use the socket. */
	if (getgrnam("wsbench") != NULL)
		dflt[SET_CONTROL_GROUP] = xstrdup("wsbench");
}

void
settings_default(enum setting s, const char *value)
{
	free(dflt[s]);
	dflt[s] = xstrdup(value);
}

void
settings_max(enum setting s, unsigned long n)
{
	limit[s] = n;
}

void
settings_on_change(enum setting s, void (*fn)(void))
{
	on_change[s] = fn;
}

void
settings_cli(enum setting s, const char *value)
{
	setting_put(s, value, FROM_CLI);
}

void
settings_stage_reset(void)
{
	int	i;

	for (i = 0; i < SET_COUNT; i++) {
		free(staged[i]);
		staged[i] = NULL;
	}
}

int
settings_stage(const char *name, const char *value, char *err,
    size_t errlen)
{
	int	i;

	if ((i = setting_find(name, err, errlen)) == -1 ||
	    setting_info[i].check(value, err, errlen) == -1)
		return -1;
	free(staged[i]);
	staged[i] = xstrdup(value);
	return 0;
}

static int
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* Calls each function of a change once, in the settings' order: one
 * chmod and chown for the socket's mode and groups together. */
static void
settings_changed(const int changed[SET_COUNT])
{
	int	i, j;

	for (i = 0; i < SET_COUNT; i++) {
		if (!changed[i] || on_change[i] == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (changed[j] && on_change[j] == on_change[i])
				break;
		if (j == i)
			on_change[i]();
	}
}

void
settings_commit(int at_start)
{
	const char	*v;
	int		 i, changed[SET_COUNT] = { 0 };

	for (i = 0; i < SET_COUNT; i++) {
		if (live[i].from == FROM_CLI)
			continue;
		/* Left out of the file: back to the default. */
		v = staged[i] != NULL ? staged[i] : dflt[i];
		if (same(v, settings_get(i))) {
			setting_put(i, staged[i], staged[i] != NULL ?
			    FROM_FILE : FROM_DEFAULT);
			continue;
		}
		if (!at_start && (setting_info[i].flags & SETTING_AT_START)) {
			log_warnx("reload: %s %s takes effect at the next "
			    "start", setting_info[i].name, v);
			continue;
		}
		setting_put(i, staged[i], staged[i] != NULL ? FROM_FILE :
		    FROM_DEFAULT);
		if (at_start || on_change[i] == NULL)
			continue;
		log_info("%s set to %s", setting_info[i].name,
		    v != NULL ? v : "none");
		changed[i] = 1;
	}
	settings_changed(changed);
	if (at_start)
		apply_log_level();
}

int
settings_set(const char *name, const char *value, char *err, size_t errlen)
{
	int	i;

	if ((i = setting_find(name, err, errlen)) == -1)
		return -1;
	if (setting_info[i].flags & SETTING_AT_START) {
		snprintf(err, errlen, "%s is read at start only: set it in the "
		    "config file and restart", name);
		return -1;
	}
	if (live[i].from == FROM_CLI) {
		snprintf(err, errlen, "%s is set on the command line", name);
		return -1;
	}
	if (setting_info[i].check(value, err, errlen) == -1)
		return -1;
	setting_put(i, value, FROM_CTL);
	if (on_change[i] != NULL)
		on_change[i]();
	log_info("%s set to %s", name, value);
	return 0;
}

const char *
settings_get(enum setting s)
{
	return live[s].value != NULL ? live[s].value : dflt[s];
}

int
settings_is_default(enum setting s)
{
	return live[s].from == FROM_DEFAULT;
}

unsigned long
settings_number(enum setting s)
{
	unsigned long	n;
	const char	*v = settings_get(s);

	if (v == NULL || parse_number(v, s == SET_CONTROL_MODE ? 8 : 10, 0,
	    ~0UL, &n) == -1)
		fatalx("%s: %s has no number", __func__, setting_info[s].name);
	return n;
}

void
settings_each(void (*fn)(void *, const char *, const char *, const char *),
    void *arg)
{
	static const char *const from[] = {
		[FROM_DEFAULT] = "default",
		[FROM_FILE] = "file",
		[FROM_CLI] = "command line",
		[FROM_CTL] = "wsbenchctl",
	};
	int	i;

	for (i = 0; i < SET_COUNT; i++)
		fn(arg, setting_info[i].name, settings_get(i) != NULL ?
		    settings_get(i) : "none", from[live[i].from]);
}

const char *
settings_runtime_name(enum setting s)
{
	return setting_info[s].flags & SETTING_AT_START ? NULL :
	    setting_info[s].name;
}

/* SPDX-License-Identifier: ISC */
/*
 * wsbenchd: hosts WebSocket benchmark jobs.  The main thread runs the
 * control socket and the once-a-second rate sampling; worker threads run
 * the connections; libmicrohttpd serves /metrics from a thread of its own.
 */

#include "config.h"

#include <sys/resource.h>
#include <sys/time.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "cmd.h"
#include "config_file.h"
#include "control.h"
#include "http_server.h"
#include "job.h"
#include "log.h"
#include "loop.h"
#include "paths.h"
#include "reload.h"
#include "sd_notify.h"
#include "settings.h"
#include "tables.h"

#define DEFAULT_CONFIG		SYSCONFDIR "/wsbenchd.conf"
#define SHUTDOWN_TIMEOUT	5	/* seconds for jobs to close */

/* What the command line says besides the settings (settings.h). */
struct options {
	int		 check;
	const char	*config;
	int		 config_given;
};

static struct timeval	 last_tick;
static struct event	*shutdown_timer;
static int		 exit_code;

static void
usage(FILE *f)
{
	fprintf(f, "usage: wsbenchd [-dhnVW] [-f config] [-m address:port] "
	    "[-s socket] [-t threads]\n");
}

/* A new mode or group for the socket; control_perms() logs a failure. */
static void
control_changed(void)
{
	control_perms();
}

/* What the settings may hold here, their defaults, and what a change of
 * one at run time does. */
static void
settings_setup(void)
{
	char	buf[256];
	long	ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	settings_init();
	settings_max(SET_THREADS, LOOP_WORKERS_MAX);
	settings_max(SET_MAX_MESSAGE, JOB_MAX_MESSAGE_LIMIT);
	snprintf(buf, sizeof(buf), "%ld", ncpu < 1 ? 1 :
	    ncpu > LOOP_WORKERS_MAX ? LOOP_WORKERS_MAX : ncpu);
	settings_default(SET_THREADS, buf);
	snprintf(buf, sizeof(buf), "%u", JOB_MAX_MESSAGE_DEFAULT);
	settings_default(SET_MAX_MESSAGE, buf);
	settings_default(SET_METRICS_LISTEN, HTTP_SERVER_DEFAULT_ADDR);
	settings_default(SET_CONTROL_SOCKET, paths_socket(1, buf,
	    sizeof(buf)));
	settings_on_change(SET_CONTROL_MODE, control_changed);
	settings_on_change(SET_CONTROL_GROUP, control_changed);
	settings_on_change(SET_CONTROL_READ_GROUP, control_changed);
}

/* An option checked as the setting it stands for is. */
static void
option_checked(enum setting s, const char *name, const char *value)
{
	char	err[128];

	if (settings_stage(name, value, err, sizeof(err)) == -1) {
		fprintf(stderr, "wsbenchd: %s\n", err);
		exit(2);
	}
	settings_stage_reset();
	settings_cli(s, value);
}

/* Defaults worked out here, then the options, which hold over the file. */
static void
parse_options(int argc, char **argv, struct options *o)
{
	int	ch;

	memset(o, 0, sizeof(*o));
	o->config = DEFAULT_CONFIG;
	settings_setup();
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		exit(0);
	}
	while ((ch = getopt(argc, argv, "df:hm:ns:t:VW")) != -1) {
		switch (ch) {
		case 'd':
			settings_cli(SET_LOG_LEVEL, "debug");
			break;
		case 'f':
			o->config = optarg;
			o->config_given = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'm':
			option_checked(SET_METRICS_LISTEN, "metrics-listen",
			    optarg);
			break;
		case 'n':
			o->check = 1;
			break;
		case 's':
			option_checked(SET_CONTROL_SOCKET, "control-socket",
			    optarg);
			break;
		case 't':
			option_checked(SET_THREADS, "threads", optarg);
			break;
		case 'V':
			printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			exit(0);
		case 'W':
			cmd_words(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind != argc) {
		usage(stderr);
		exit(2);
	}
}

/* The default config is optional; one named with -f is not.  A check
 * stages the file's settings (settings.h). */
static int
load_config(const struct options *o, int check)
{
	int	errors;

	if (check)
		settings_stage_reset();
	if (!o->config_given && access(o->config, F_OK) == -1 &&
	    errno == ENOENT) {
		if (!check)
			log_info("no %s, starting without jobs", o->config);
		return 0;
	}
	errors = config_file_load(o->config, check);
	return errors == 0 ? 0 : -1;
}

/* Every connection is a descriptor: allow as many as the hard limit does. */
static void
raise_fd_limit(void)
{
	struct rlimit	rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == rl.rlim_max)
		return;
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) == -1) {
		log_warn("%s: setrlimit", __func__);
		return;
	}
	log_info("descriptor limit raised to %llu",
	    (unsigned long long)rl.rlim_cur);
}

/* What `systemctl status` shows, refreshed each second: the jobs and what
 * they moved in the last second.  prefix goes first (READY=1). */
static void
notify_status(const char *prefix)
{
	struct job		*j;
	unsigned long long	 rx = 0, tx = 0;
	int			 n = 0;
	char			 state[160];

	TAILQ_FOREACH(j, job_list(), entry) {
		n++;
		rx += j->rate[CTR_messages_received];
		tx += j->rate[CTR_messages_sent];
	}
	snprintf(state, sizeof(state), "%sSTATUS=%d job%s, %llu messages/s "
	    "received, %llu sent", prefix, n, n == 1 ? "" : "s", rx, tx);
	sd_notify_send(state);
}

static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct timeval	now, d;

	(void)fd;
	(void)what;
	(void)arg;
	gettimeofday(&now, NULL);
	timersub(&now, &last_tick, &d);
	last_tick = now;
	job_sample_all((double)d.tv_sec + (double)d.tv_usec / 1e6);
	control_tick();
	reload_tick();
	notify_status("");
}

static void
watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	sd_notify_send("WATCHDOG=1");
}

/*
 * Keep-alives at half the interval systemd asks for (WatchdogSec=), from
 * the main loop: a main loop stuck for that long no longer answers on the
 * control socket either, and gets the service restarted.  NULL if none.
 */
static struct event *
watchdog_start(struct event_base *base)
{
	struct event	*ev;
	struct timeval	 tv;
	uint64_t	 usec = sd_notify_watchdog_usec() / 2;

	if (usec == 0)
		return NULL;
	tv.tv_sec = (time_t)(usec / 1000000);
	tv.tv_usec = (suseconds_t)(usec % 1000000);
	if ((ev = event_new(base, -1, EV_PERSIST, watchdog_cb, NULL)) == NULL ||
	    event_add(ev, &tv) == -1)
		fatalx("%s: cannot set the watchdog timer", __func__);
	return ev;
}

static void
drained(void)
{
	event_base_loopbreak(loop_base(loop_main()));
}

static void
shutdown_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	(void)arg;
	log_warnx("jobs did not stop in %d seconds", SHUTDOWN_TIMEOUT);
	drained();
}

/* Every peer gets a close frame (1001); the loop ends when all are gone. */
static void
begin_shutdown(void)
{
	struct timeval	tv = { SHUTDOWN_TIMEOUT, 0 };

	if (shutdown_timer != NULL)
		return;
	sd_notify_send("STOPPING=1");
	shutdown_timer = evtimer_new(loop_base(loop_main()),
	    shutdown_timeout_cb, NULL);
	if (shutdown_timer == NULL || evtimer_add(shutdown_timer, &tv) == -1)
		fatalx("%s: cannot set the shutdown timer", __func__);
	job_set_drained_cb(drained);
	job_stop_all();
}

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	(void)what;
	(void)arg;
	log_info("%s, shutting down", strsignal(sig));
	begin_shutdown();
}

static void
sighup_cb(evutil_socket_t sig, short what, void *arg)
{
	char	msg[512];

	(void)sig;
	(void)what;
	(void)arg;
	if (reload_run(msg, sizeof(msg)) == -1)
		log_warnx("reload refused: %s", msg);
}

static int
run(const struct options *o)
{
	struct event_base	*base = loop_base(loop_main());
	struct event		*tick, *sigint, *sigterm, *sighup, *watchdog;
	struct timeval		 second = { 1, 0 };

	tick = event_new(base, -1, EV_PERSIST, tick_cb, NULL);
	sigint = evsignal_new(base, SIGINT, signal_cb, NULL);
	sigterm = evsignal_new(base, SIGTERM, signal_cb, NULL);
	sighup = evsignal_new(base, SIGHUP, sighup_cb, NULL);
	if (tick == NULL || sigint == NULL || sigterm == NULL ||
	    sighup == NULL || event_add(tick, &second) == -1 ||
	    event_add(sigint, NULL) == -1 || event_add(sigterm, NULL) == -1 ||
	    event_add(sighup, NULL) == -1)
		fatalx("%s: cannot set up the main loop", __func__);
	watchdog = watchdog_start(base);
	gettimeofday(&last_tick, NULL);
	if (load_config(o, 0) == -1) {
		log_warnx("%s: jobs failed to start, stopping", o->config);
		exit_code = 1;
		begin_shutdown();
	} else {
		log_info("ready: control socket %s, metrics on %s",
		    settings_get(SET_CONTROL_SOCKET),
		    settings_get(SET_METRICS_LISTEN));
		/* Type=notify: `systemctl start` returns now, with the
		 * control socket answering and the config's jobs running. */
		notify_status("READY=1\n");
	}
	event_base_dispatch(base);
	event_free(tick);
	event_free(sigint);
	event_free(sigterm);
	event_free(sighup);
	if (watchdog != NULL)
		event_free(watchdog);
	if (shutdown_timer != NULL)
		event_free(shutdown_timer);
	return exit_code;
}

int
main(int argc, char **argv)
{
	struct options	o;
	int		rc;

	tables_setup();
	parse_options(argc, argv, &o);
	log_init("wsbenchd", 0);
	/* A config with errors is refused before anything starts. */
	if (load_config(&o, 1) == -1)
		return 1;
	settings_commit(1);
	if (o.check) {
		printf("configuration OK\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	/* Until the main loop handles it, a SIGHUP must not kill jobs. */
	signal(SIGHUP, SIG_IGN);
	reload_set_path(o.config, o.config_given);
	raise_fd_limit();
	if (loops_init((int)settings_number(SET_THREADS)) == -1 ||
	    loops_start() == -1)
		return 1;
	if (paths_socket_dir(settings_get(SET_CONTROL_SOCKET)) == -1 ||
	    control_listen(settings_get(SET_CONTROL_SOCKET)) == -1) {
		control_shutdown();
		loops_shutdown();
		return 1;
	}
	if (http_server_start(settings_get(SET_METRICS_LISTEN)) == -1) {
		control_shutdown();
		loops_shutdown();
		return 1;
	}
	rc = run(&o);
	http_server_stop();
	control_shutdown();
	loops_shutdown();
	return rc;
}

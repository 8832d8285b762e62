/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/queue.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "log.h"
#include "loop.h"

struct loop_task {
	STAILQ_ENTRY(loop_task)	 entry;
	void			(*fn)(void *);
	void			*arg;
};

struct loop {
	struct event_base	*base;
	int			 id;
	pthread_t		 thread;
	int			 started;
	pthread_mutex_t		 mu;
	STAILQ_HEAD(, loop_task) tasks;
	struct event		*wake;
	unsigned char		*scratch;
};

static struct loop	*loops;		/* workers, then the main loop */
static int		 nworkers;
static __thread struct loop *self;

static void
loop_run_tasks(evutil_socket_t fd, short what, void *arg)
{
	struct loop		*l = arg;
	STAILQ_HEAD(, loop_task) todo = STAILQ_HEAD_INITIALIZER(todo);
	struct loop_task	*t;

	(void)fd;
	(void)what;
	pthread_mutex_lock(&l->mu);
	STAILQ_CONCAT(&todo, &l->tasks);
	pthread_mutex_unlock(&l->mu);
	while ((t = STAILQ_FIRST(&todo)) != NULL) {
		STAILQ_REMOVE_HEAD(&todo, entry);
		t->fn(t->arg);
		free(t);
	}
}

static int
loop_setup(struct loop *l, int id)
{
	l->id = id;
	STAILQ_INIT(&l->tasks);
	if (pthread_mutex_init(&l->mu, NULL) != 0)
		return -1;
	if ((l->base = event_base_new()) == NULL) {
		log_warnx("%s: event_base_new failed", __func__);
		return -1;
	}
	l->wake = event_new(l->base, -1, 0, loop_run_tasks, l);
	l->scratch = malloc(LOOP_SCRATCH);
	return l->wake == NULL || l->scratch == NULL ? -1 : 0;
}

int
loops_init(int n)
{
	int	i;

	if (n < 1 || n > LOOP_WORKERS_MAX) {
		log_warnx("%s: bad number of workers %d", __func__, n);
		return -1;
	}
	/* Locking must be on before any base exists for event_active() to
	 * wake a loop from another thread. */
	if (evthread_use_pthreads() == -1) {
		log_warnx("%s: evthread_use_pthreads failed", __func__);
		return -1;
	}
	if ((loops = calloc(n + 1, sizeof(*loops))) == NULL) {
		log_warn("%s: calloc", __func__);
		return -1;
	}
	nworkers = n;
	for (i = 0; i <= n; i++)
		if (loop_setup(&loops[i], i) == -1)
			return -1;
	self = loop_main();
	return 0;
}

static void *
loop_thread(void *arg)
{
	struct loop	*l = arg;

	self = l;
	event_base_loop(l->base, EVLOOP_NO_EXIT_ON_EMPTY);
	return NULL;
}

int
loops_start(void)
{
	int	i, rc;

	for (i = 0; i < nworkers; i++) {
		rc = pthread_create(&loops[i].thread, NULL, loop_thread,
		    &loops[i]);
		if (rc != 0) {
			errno = rc;
			log_warn("%s: pthread_create", __func__);
			return -1;
		}
		loops[i].started = 1;
	}
	return 0;
}

static void
loop_exit_task(void *arg)
{
	struct loop	*l = arg;

	event_base_loopbreak(l->base);
}

static void
loop_free(struct loop *l)
{
	struct loop_task	*t;

	while ((t = STAILQ_FIRST(&l->tasks)) != NULL) {
		STAILQ_REMOVE_HEAD(&l->tasks, entry);
		free(t);
	}
	if (l->wake != NULL)
		event_free(l->wake);
	if (l->base != NULL)
		event_base_free(l->base);
	free(l->scratch);
	pthread_mutex_destroy(&l->mu);
}

void
loops_shutdown(void)
{
	int	i;

	if (loops == NULL)
		return;
	for (i = 0; i < nworkers; i++) {
		if (!loops[i].started)
			continue;
		if (loop_post(&loops[i], loop_exit_task, &loops[i]) == -1)
			fatalx("%s: cannot stop worker %d", __func__, i);
		pthread_join(loops[i].thread, NULL);
	}
	for (i = 0; i <= nworkers; i++)
		loop_free(&loops[i]);
	free(loops);
	loops = NULL;
	libevent_global_shutdown();
}

struct loop *
loop_main(void)
{
	return &loops[nworkers];
}

struct loop *
loop_worker(int i)
{
	return &loops[i];
}

int
loop_nworkers(void)
{
	return nworkers;
}

struct loop *
loop_self(void)
{
	return self;
}

unsigned char *
loop_scratch(struct loop *l)
{
	return l->scratch;
}

void
loop_timer_add_ns(struct event *ev, uint64_t ns)
{
	struct timeval	tv;
	uint64_t	us = ns / 1000 + (ns % 1000 != 0);	/* rounded up */

	tv.tv_sec = (time_t)(us / 1000000u);
	tv.tv_usec = (suseconds_t)(us % 1000000u);
	evtimer_add(ev, &tv);
}

struct event_base *
loop_base(struct loop *l)
{
	return l->base;
}

int
loop_id(struct loop *l)
{
	return l->id;
}

int
loop_post(struct loop *l, void (*fn)(void *), void *arg)
{
	struct loop_task	*t;

	if ((t = malloc(sizeof(*t))) == NULL) {
		log_warn("%s: malloc", __func__);
		return -1;
	}
	t->fn = fn;
	t->arg = arg;
	pthread_mutex_lock(&l->mu);
	STAILQ_INSERT_TAIL(&l->tasks, t, entry);
	pthread_mutex_unlock(&l->mu);
	event_active(l->wake, 0, 0);
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * Event loops and the threads that run them.  The main loop (control
 * socket, rate sampling) runs in the main thread; each worker loop runs in
 * a thread of its own and owns the connections placed on it.  Loops talk to
 * each other only by posting tasks.
 */
#ifndef LOOP_H
#define LOOP_H

#include <pthread.h>
#include <stdint.h>

struct event_base;
struct loop;

#define LOOP_WORKERS_MAX	256

/* Creates the main loop and n worker loops.  Returns 0, or -1. */
int			 loops_init(int nworkers);
/* Starts the worker threads. */
int			 loops_start(void);
/* Stops and joins the worker threads, then frees every loop. */
void			 loops_shutdown(void);

struct loop		*loop_main(void);
struct loop		*loop_worker(int i);
int			 loop_nworkers(void);
/* The loop of the calling thread (NULL outside loops). */
struct loop		*loop_self(void);

struct event_base	*loop_base(struct loop *);
/* Worker index 0..n-1; the main loop has index n. */
int			 loop_id(struct loop *);

struct event;
/* Adds timer ev to fire after ns nanoseconds, rounded up to libevent's
 * microsecond: never before ns. */
void			 loop_timer_add_ns(struct event *ev, uint64_t ns);
/* A buffer of LOOP_SCRATCH bytes for the loop's own thread: socket reads
 * land there and are parsed in place. */
#define LOOP_SCRATCH		(256 * 1024)
unsigned char		*loop_scratch(struct loop *);

/*
 * Runs fn(arg) on loop l's thread, soon.  Safe from any thread.  Returns
 * 0, or -1 when out of memory (fn does not run).
 */
int			 loop_post(struct loop *l, void (*fn)(void *), void *arg);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * Every command and every kind of job, each named once.  A new command is
 * its file (src/cmd_NAME.c, holding cmd_NAME_entry), one word in
 * TABLES_COMMANDS, its line in Makefile.am and its man page section; a new
 * kind the same with src/KIND.c, job_kind_KIND and TABLES_KINDS.  Usage,
 * help, the "valid:" lists, completion and the man-page check follow from
 * the entries.  The order is the order help lists them in.
 */
#ifndef TABLES_H
#define TABLES_H

#define TABLES_COMMANDS(X)						\
	X(start) X(stop) X(list) X(stats) X(watch) X(version) X(help)	\
	X(reload) X(set) X(latency) X(wait) X(run)

#define TABLES_KINDS(X)							\
	X(push) X(recv) X(echo) X(send)

/* Gives the command layer and the job layer their tables; first thing. */
void	tables_setup(void);

#endif

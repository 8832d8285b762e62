/* SPDX-License-Identifier: ISC */
/*
 * The live table wsbenchctl draws on a terminal from the records of
 * `watch --table`: a row a job, redrawn in place each second.
 */
#ifndef WATCH_TABLE_H
#define WATCH_TABLE_H

/* Takes one record (control_protocol.h), the first drawing taking over
 * the screen; returns -1 if it is not one. */
int	watch_table_record(const char *line);
/* Several hosts (-H), by name: their records go to
 * watch_table_host_record; plain: lines, not a table. */
void	watch_table_hosts(const char *const *names, int n, int plain);
/* A record of host h; returns -1 if it is not one. */
int	watch_table_host_record(int h, const char *line);
/* Host h sends no more: its rows go. */
void	watch_table_host_gone(int h);
/* True once a signal asked to stop. */
int	watch_table_interrupted(void);
/* Gives the terminal back, below the last table; again does nothing. */
void	watch_table_end(void);

#endif

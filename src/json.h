/* SPDX-License-Identifier: ISC */
/* Just enough JSON writing for the -j output of list and stats. */
#ifndef JSON_H
#define JSON_H

struct evbuffer;

/* Appends s as a JSON string, quoted and escaped. */
void	json_string(struct evbuffer *, const char *s);

#endif

/* SPDX-License-Identifier: ISC */
/*
 * The fields a requirement may name: every number of a job's report, under
 * its `stats` key, read by walking the report (report.h) with a backend
 * that keeps them, so a number the report shows is a field with no second
 * list; and the short names (p99, errors, rate, connect_p99 ...), each a
 * report key.
 */
#ifndef REQUIRE_FIELD_H
#define REQUIRE_FIELD_H

#include "require.h"

struct job;

#define REQUIRE_FIELDS_MAX	192

struct require_field {
	char			 key[REQUIRE_NAME_MAX];
	enum require_kind	 kind;
	int			 valid;		/* 0: "none" in the report */
	double			 value;		/* ns for a time */
};

struct require_fields {
	size_t			 n;
	struct require_field	 f[REQUIRE_FIELDS_MAX];
};

/* The kind of a field's name, as require_parse() asks: a time by its
 * name (a latency, a handshake's _us, duration, ramp ...), else a count. */
enum require_kind require_field_kind(const char *name);
/* The numbers of j's report; the caller holds the job list. */
void	require_fields_get(struct job *j, struct require_fields *fs);
/* Field name (a short name or a key) of j's report fs; NULL when the job
 * has no such field. */
const struct require_field *require_fields_find(const struct require_fields *fs,
	    const struct job *j, const char *name);

#endif

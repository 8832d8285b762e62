/* SPDX-License-Identifier: ISC */
/*
 * A job's per-second series as CSV and JSON.  The fields are t (seconds
 * since the job's start, 3 decimals), then JOB_SERIES in its order, named
 * as it names them; a latency, kept in ns (a name ending in "_ns"), is
 * shown in microseconds with 3 decimals and named "_us", and is absent
 * (empty in CSV, null in JSON) in a second without a message timed or
 * for a job that times nothing.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <event2/buffer.h>

#include "job.h"
#include "job_run.h"
#include "json.h"
#include "latency_view.h"
#include "series_view.h"

#define SERIES_VIEW_NS	"_ns"

/* What differs between CSV and JSON: the quotes around a field's name,
 * the marks around a row, and an absent value. */
struct series_view_form {
	const char	*quote;
	const char	*open;
	const char	*close;
	const char	*none;
};

static const struct series_view_form series_view_csv = {
	"", "", "\n", ""
};
static const struct series_view_form series_view_json = {
	"\"", "[", "]", "null"
};

/* Whether field f is a time in ns, shown in us. */
static int
series_view_is_time(enum job_series f)
{
	const char	*name = job_series_name[f];
	size_t		 n = strlen(name), suffix = strlen(SERIES_VIEW_NS);

	return n > suffix && strcmp(name + n - suffix, SERIES_VIEW_NS) == 0;
}

/* The names of the fields, separated by commas. */
static void
series_view_fields(struct evbuffer *b, const struct series_view_form *form)
{
	const char	*name;
	size_t		 f;
	int		 time;

	evbuffer_add_printf(b, "%st%s", form->quote, form->quote);
	for (f = 0; f < JOB_SERIES_COUNT; f++) {
		name = job_series_name[f];
		time = series_view_is_time(f);
		evbuffer_add_printf(b, ",%s%.*s%s%s", form->quote,
		    (int)(strlen(name) - (time ? strlen(SERIES_VIEW_NS) : 0)),
		    name, time ? "_us" : "", form->quote);
	}
}

static void
series_view_row(struct evbuffer *b, const struct job *j,
    const struct job_second *s, const struct series_view_form *form)
{
	char	us[LATENCY_VIEW_LEN];
	size_t	f;

	evbuffer_add_printf(b, "%s%llu.%03llu", form->open,
	    (unsigned long long)(s->t_ms / 1000),
	    (unsigned long long)(s->t_ms % 1000));
	for (f = 0; f < JOB_SERIES_COUNT; f++) {
		if (!series_view_is_time(f))
			evbuffer_add_printf(b, ",%llu",
			    (unsigned long long)s->v[f]);
		else if (j->timing == NULL || s->v[f] == 0)
			evbuffer_add_printf(b, ",%s", form->none);
		else {
			latency_view_us(us, sizeof(us), s->v[f]);
			evbuffer_add_printf(b, ",%s", us);
		}
	}
	evbuffer_add_printf(b, "%s", form->close);
}

void
series_csv(struct evbuffer *b, const struct job *j, int header, int named)
{
	size_t	i, n = job_series_len(j);

	if (header) {
		evbuffer_add_printf(b, "%s", named ? "name," : "");
		series_view_fields(b, &series_view_csv);
		evbuffer_add_printf(b, "\n");
	}
	/* Job names need no quoting: letters, digits, '_', '.', '-'. */
	for (i = 0; i < n; i++) {
		if (named)
			evbuffer_add_printf(b, "%s,", j->name);
		series_view_row(b, j, job_series_at(j, i), &series_view_csv);
	}
}

void
series_json(struct evbuffer *b, const struct job *j)
{
	size_t	i, n = job_series_len(j);

	evbuffer_add_printf(b, "{\"name\":");
	json_string(b, j->name);
	evbuffer_add_printf(b, ",\"fields\":[");
	series_view_fields(b, &series_view_json);
	evbuffer_add_printf(b, "],\"rows\":[");
	for (i = 0; i < n; i++) {
		evbuffer_add_printf(b, "%s", i > 0 ? "," : "");
		series_view_row(b, j, job_series_at(j, i), &series_view_json);
	}
	evbuffer_add_printf(b, "]}");
}

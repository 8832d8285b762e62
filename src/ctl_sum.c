/* SPDX-License-Identifier: ISC */
/*
 * The sum of several hosts' stats.  The counters are those of the
 * COUNTERS X-macro, so that a counter added there is summed too.  A sum
 * that would pass 2^64 - 1 stays there rather than wrap round: a wrong
 * small number would pass for a true one.  The JSON scanner takes just
 * what stats -j writes, and skips any value it does not need, nested or
 * not, so that members added later are no harm.
 */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_sum.h"

static const char *const sum_names[CTR_COUNT] = {
#define SUM_NAME(n, m, t, r, h)	#n,
	COUNTERS(SUM_NAME)
#undef SUM_NAME
};

#define SUM_RATE	"_per_second"
#define SUM_DEPTH	64	/* nesting of a value skipped */

static void
sum_add(uint64_t *a, uint64_t b)
{
	*a = *a > UINT64_MAX - b ? UINT64_MAX : *a + b;
}

/* The counter named by the len bytes at key, or of its rate; -1 for
 * none. */
static int
sum_counter(const char *key, size_t len, int *rate)
{
	size_t	n, r = strlen(SUM_RATE);
	int	i;

	for (i = 0; i < CTR_COUNT; i++) {
		n = strlen(sum_names[i]);
		if (strncmp(key, sum_names[i], n) != 0)
			continue;
		if (len == n) {
			*rate = 0;
			return i;
		}
		if (len == n + r &&
		    memcmp(key + n, SUM_RATE, r) == 0) {
			*rate = 1;
			return i;
		}
	}
	return -1;
}

/* The job of that name, added the first time. */
static struct ctl_sum_job *
sum_job(struct ctl_sum *s, const char *name, size_t len)
{
	struct ctl_sum_job	*j;
	size_t			 i;

	for (i = 0; i < s->njobs; i++)
		if (strlen(s->jobs[i].name) == len &&
		    memcmp(s->jobs[i].name, name, len) == 0)
			return &s->jobs[i];
	if (s->njobs == s->cap) {
		s->cap = s->cap == 0 ? 8 : s->cap * 2;
		if ((j = reallocarray(s->jobs, s->cap, sizeof(*j))) == NULL) {
			perror("wsbenchctl: reallocarray");
			exit(1);
		}
		s->jobs = j;
	}
	j = &s->jobs[s->njobs++];
	memset(j, 0, sizeof(*j));
	if ((j->name = strndup(name, len)) == NULL) {
		perror("wsbenchctl: strndup");
		exit(1);
	}
	return j;
}

static void
sum_kind(struct ctl_sum_job *j, const char *kind, size_t len)
{
	if (j->kind == NULL && (j->kind = strndup(kind, len)) == NULL) {
		perror("wsbenchctl: strndup");
		exit(1);
	}
}

/* A decimal of digits only; past 2^64 - 1 it stays there. */
static int
sum_uint(const char **p, uint64_t *v)
{
	const char	*s = *p;
	uint64_t	 n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++)
		n = n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10 ? UINT64_MAX :
		    n * 10 + (uint64_t)(*s - '0');
	*p = s;
	*v = n;
	return 0;
}

void
ctl_sum_host(struct ctl_sum *s)
{
	s->cur = NULL;
}

void
ctl_sum_text_line(struct ctl_sum *s, const char *line)
{
	const char	*v;
	size_t		 klen = strcspn(line, " ");
	uint64_t	 n;
	int		 c, rate;

	v = line + klen + strspn(line + klen, " ");
	if (klen == 4 && strncmp(line, "name", 4) == 0) {
		s->cur = sum_job(s, v, strlen(v));
		s->cur->hosts++;
	} else if (s->cur == NULL)
		return;
	else if (klen == 4 && strncmp(line, "kind", 4) == 0)
		sum_kind(s->cur, v, strlen(v));
	else if ((c = sum_counter(line, klen, &rate)) != -1 &&
	    sum_uint(&v, &n) == 0 && *v == '\0') {
		if (rate) {
			sum_add(&s->cur->rate[c], n);
			s->cur->rated[c] = 1;
		} else
			sum_add(&s->cur->v[c], n);
	}
}

/* --- the JSON of stats -j --- */

static const char *
js_ws(const char *p)
{
	return p + strspn(p, " \t\r\n");
}

/* A string at p, its contents (escaped) in *s, *len; returns what
 * follows, or NULL. */
static const char *
js_string(const char *p, const char **s, size_t *len)
{
	if (*p != '"')
		return NULL;
	*s = ++p;
	for (; *p != '"'; p++) {
		if (*p == '\0' || (unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && *++p == '\0')
			return NULL;
	}
	*len = (size_t)(p - *s);
	return p + 1;
}

static const char *js_skip(const char *, int);

/* The members or items of an object or array, skipped. */
static const char *
js_skip_in(const char *p, char close, int depth)
{
	const char	*s;
	size_t		 len;

	p = js_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (close == '}' && ((p = js_string(p, &s, &len)) == NULL ||
		    *(p = js_ws(p)) != ':'))
			return NULL;
		if (close == '}')
			p = js_ws(p + 1);
		if ((p = js_skip(p, depth + 1)) == NULL)
			return NULL;
		p = js_ws(p);
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p = js_ws(p + 1);
	}
}

/* Any value, skipped; returns what follows, or NULL. */
static const char *
js_skip(const char *p, int depth)
{
	const char	*s;
	size_t		 len;

	if (depth > SUM_DEPTH)
		return NULL;
	if (*p == '{')
		return js_skip_in(p, '}', depth);
	if (*p == '[')
		return js_skip_in(p, ']', depth);
	if (*p == '"')
		return js_string(p, &s, &len);
	len = strspn(p, "-+.0123456789eEtruefalsn");
	return len > 0 ? p + len : NULL;
}

/* An integer value (no sign, fraction or exponent) at p into *v;
 * returns what follows, or NULL when the value is something else. */
static const char *
js_uint(const char *p, uint64_t *v)
{
	if (sum_uint(&p, v) == -1 || *p == '.' || *p == 'e' || *p == 'E')
		return NULL;
	return p;
}

/* A job's "per_second": {"name":N,...}. */
static const char *
js_rates(const char *p, struct ctl_sum_job *j)
{
	const char	*k, *q;
	size_t		 klen;
	uint64_t	 n;
	int		 c, rate;

	if (*p != '{')
		return js_skip(p, 1);
	p = js_ws(p + 1);
	if (*p == '}')
		return p + 1;
	for (;;) {
		if ((p = js_string(p, &k, &klen)) == NULL ||
		    *(p = js_ws(p)) != ':')
			return NULL;
		p = js_ws(p + 1);
		if ((c = sum_counter(k, klen, &rate)) != -1 && rate == 0 &&
		    (q = js_uint(p, &n)) != NULL) {
			j->rate[c] = n;
			j->rated[c] = 1;
			p = q;
		} else if ((p = js_skip(p, 2)) == NULL)
			return NULL;
		p = js_ws(p);
		if (*p == '}')
			return p + 1;
		if (*p != ',')
			return NULL;
		p = js_ws(p + 1);
	}
}

/* One member of a job object into j (name and kind: their spans). */
static const char *
js_member(const char *p, struct ctl_sum_job *j, const char **name,
    size_t *nlen, const char **kind, size_t *klen)
{
	const char	*k, *q;
	size_t		 len;
	uint64_t	 n;
	int		 c, rate;

	if ((p = js_string(p, &k, &len)) == NULL || *(p = js_ws(p)) != ':')
		return NULL;
	p = js_ws(p + 1);
	if (len == 4 && memcmp(k, "name", 4) == 0 && *p == '"')
		return js_string(p, name, nlen);
	if (len == 4 && memcmp(k, "kind", 4) == 0 && *p == '"')
		return js_string(p, kind, klen);
	if (len == 10 && memcmp(k, "per_second", 10) == 0)
		return js_rates(p, j);
	if ((c = sum_counter(k, len, &rate)) != -1 && rate == 0 &&
	    (q = js_uint(p, &n)) != NULL) {
		j->v[c] = n;
		return q;
	}
	return js_skip(p, 1);
}

/* Adds a job object's numbers to the sum of its name. */
static void
js_merge(struct ctl_sum *s, const struct ctl_sum_job *o, const char *name,
    size_t nlen, const char *kind, size_t klen)
{
	struct ctl_sum_job	*j = sum_job(s, name, nlen);
	int			 c;

	j->hosts++;
	if (kind != NULL)
		sum_kind(j, kind, klen);
	for (c = 0; c < CTR_COUNT; c++) {
		sum_add(&j->v[c], o->v[c]);
		sum_add(&j->rate[c], o->rate[c]);
		j->rated[c] |= o->rated[c];
	}
}

/* A job object; one without a name is not a job. */
static const char *
js_job(struct ctl_sum *s, const char *p)
{
	struct ctl_sum_job	 o;
	const char		*name = NULL, *kind = NULL;
	size_t			 nlen = 0, klen = 0;

	if (*p != '{')
		return NULL;
	memset(&o, 0, sizeof(o));
	p = js_ws(p + 1);
	if (*p != '}')
		for (;;) {
			if ((p = js_member(p, &o, &name, &nlen, &kind,
			    &klen)) == NULL)
				return NULL;
			p = js_ws(p);
			if (*p == '}')
				break;
			if (*p != ',')
				return NULL;
			p = js_ws(p + 1);
		}
	if (name == NULL)
		return NULL;
	js_merge(s, &o, name, nlen, kind, klen);
	return p + 1;
}

int
ctl_sum_json(struct ctl_sum *s, const char *json)
{
	const char	*p = js_ws(json);

	if (*p != '[')
		return -1;
	p = js_ws(p + 1);
	if (*p != ']')
		for (;;) {
			if ((p = js_job(s, p)) == NULL)
				return -1;
			p = js_ws(p);
			if (*p == ']')
				break;
			if (*p != ',')
				return -1;
			p = js_ws(p + 1);
		}
	return *js_ws(p + 1) == '\0' ? 0 : -1;
}

/* --- the sum printed --- */

void
ctl_sum_print_text(const struct ctl_sum *s, FILE *f)
{
	const struct ctl_sum_job	*j;
	char				 key[64];
	size_t				 i;
	int				 c;

	for (i = 0; i < s->njobs; i++) {
		j = &s->jobs[i];
		if (i > 0)
			fprintf(f, "\n");
		fprintf(f, "%-30s %s\n", "name", j->name);
		fprintf(f, "%-30s %s\n", "kind", j->kind != NULL ? j->kind :
		    "none");
		fprintf(f, "%-30s %d\n", "hosts", j->hosts);
		for (c = 0; c < CTR_COUNT; c++) {
			fprintf(f, "%-30s %llu\n", sum_names[c],
			    (unsigned long long)j->v[c]);
			if (!j->rated[c])
				continue;
			snprintf(key, sizeof(key), "%s" SUM_RATE, sum_names[c]);
			fprintf(f, "%-30s %llu\n", key,
			    (unsigned long long)j->rate[c]);
		}
	}
}

void
ctl_sum_print_json(const struct ctl_sum *s, FILE *f)
{
	const struct ctl_sum_job	*j;
	const char			*sep;
	size_t				 i;
	int				 c;

	fprintf(f, "[");
	for (i = 0; i < s->njobs; i++) {
		j = &s->jobs[i];
		fprintf(f, "%s{\"name\":\"%s\",\"kind\":", i > 0 ? "," : "",
		    j->name);
		if (j->kind != NULL)
			fprintf(f, "\"%s\"", j->kind);
		else
			fprintf(f, "null");
		fprintf(f, ",\"hosts\":%d", j->hosts);
		for (c = 0; c < CTR_COUNT; c++)
			fprintf(f, ",\"%s\":%llu", sum_names[c],
			    (unsigned long long)j->v[c]);
		fprintf(f, ",\"per_second\":{");
		for (sep = "", c = 0; c < CTR_COUNT; c++)
			if (j->rated[c]) {
				fprintf(f, "%s\"%s\":%llu", sep, sum_names[c],
				    (unsigned long long)j->rate[c]);
				sep = ",";
			}
		fprintf(f, "}}");
	}
	fprintf(f, "]");
}

void
ctl_sum_free(struct ctl_sum *s)
{
	size_t	i;

	for (i = 0; i < s->njobs; i++) {
		free(s->jobs[i].name);
		free(s->jobs[i].kind);
	}
	free(s->jobs);
	memset(s, 0, sizeof(*s));
}

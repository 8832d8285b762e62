/* SPDX-License-Identifier: ISC */
/*
 * wsbenchctl -H: ctl_hosts_parse() on a list ("a,you@b") or a hosts file
 * ("@FILE", a file that holds the input).  The hosts it takes must be
 * those of a plain reading of the rules, in order: comma-separated, or a
 * line each with blanks around cut and blank and '#' lines skipped; none
 * empty, none starting with '-', none with a blank or a control byte; at
 * most CTL_HOSTS_MAX.  What it refuses it says on one line, beginning
 * "wsbenchctl: -H".  Nothing leaks either way.
 *
 * Input: a byte whose low bit picks a file, then the list (up to a NUL)
 * or the file.
 */
#define _GNU_SOURCE
#include "config.h"

#include <sys/mman.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_host.h"
#include "fuzz.h"

#define HOSTS_PREFIX	"wsbenchctl: -H"

struct hosts_ref {
	int		 n;		/* -1: refused */
	const char	*name[CTL_HOSTS_MAX];
	size_t		 len[CTL_HOSTS_MAX];
};

static void
hosts_ref_add(struct hosts_ref *ref, const char *s, size_t len)
{
	size_t	i;
	int	ok = len > 0 && s[0] != '-';

	for (i = 0; i < len; i++)
		ok = ok && (unsigned char)s[i] > ' ' && s[i] != 0x7f;
	if (ref->n == -1)
		return;
	if (!ok || ref->n == CTL_HOSTS_MAX) {
		ref->n = -1;
		return;
	}
	ref->name[ref->n] = s;
	ref->len[ref->n++] = len;
}

/* A list: split at commas. */
static void
hosts_ref_list(struct hosts_ref *ref, const char *s)
{
	size_t	len;

	for (;; s += len + 1) {
		len = strcspn(s, ",");
		hosts_ref_add(ref, s, len);
		if (s[len] == '\0')
			return;
	}
}

/* A file of lines, each read as a string (to a NUL, as getline's caller
 * does), cut at \r, blanks around it cut. */
static void
hosts_ref_file(struct hosts_ref *ref, const char *p, size_t n)
{
	const char	*end = p + n, *nl, *s;
	size_t		 len;

	for (; p < end && ref->n != -1; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = strnlen(p, (size_t)(nl - p));
		len = strcspn(p, "\r") < len ? strcspn(p, "\r") : len;
		for (s = p; len > 0 && (*s == ' ' || *s == '\t'); s++)
			len--;
		while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (len > 0 && s[0] != '#')
			hosts_ref_add(ref, s, len);
	}
	if (ref->n == 0)
		ref->n = -1;
}

/* The input as a file, by a name that opens it. */
static void
hosts_file(const uint8_t *p, size_t n, char *arg, size_t cap)
{
	static int	fd = -1;

	if (fd == -1 && (fd = memfd_create("hosts", 0)) == -1)
		fuzz_fail(__FILE__, __LINE__, "memfd_create");
	if (ftruncate(fd, 0) == -1 ||
	    (n > 0 && pwrite(fd, p, n, 0) != (ssize_t)n))
		fuzz_fail(__FILE__, __LINE__, "memfd write");
	snprintf(arg, cap, "@/proc/self/fd/%d", fd);
}

/* What ctl_hosts_parse() says goes to a buffer, not to stderr. */
static int
hosts_parse_quiet(const char *arg, struct ctl_host **hosts, char **said,
    size_t *saidlen)
{
	FILE	*saved = stderr;
	int	 n;

	if ((stderr = open_memstream(said, saidlen)) == NULL)
		abort();
	n = ctl_hosts_parse(arg, hosts);
	fclose(stderr);
	stderr = saved;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in		 in = { data, size };
	struct hosts_ref	 ref = { 0, { NULL }, { 0 } };
	struct ctl_host		*hosts = NULL;
	char			*text, path[64], *said = NULL;
	size_t			 saidlen = 0;
	int			 file = fuzz_byte(&in) & 1, n, i;

	text = (char *)fuzz_copy(in.p, in.n, 1);
	if (file) {
		hosts_file(in.p, in.n, path, sizeof(path));
		hosts_ref_file(&ref, text, in.n);
	} else if (text[0] != '@')	/* a file name: not the fuzzer's */
		hosts_ref_list(&ref, text);
	else
		goto out;
	n = hosts_parse_quiet(file ? path : text, &hosts, &said, &saidlen);
	FUZZ_CHECK(n == ref.n);
	if (n == -1) {
		FUZZ_CHECK(strncmp(said, HOSTS_PREFIX, strlen(HOSTS_PREFIX)) == 0);
		FUZZ_CHECK(saidlen > 0 && said[saidlen - 1] == '\n');
		FUZZ_CHECK(memchr(text, '\n', in.n) != NULL ||
		    memchr(said, '\n', saidlen) == said + saidlen - 1);
	} else {
		FUZZ_CHECK(saidlen == 0);
		for (i = 0; i < n; i++)
			FUZZ_CHECK(strlen(hosts[i].name) == ref.len[i] &&
			    memcmp(hosts[i].name, ref.name[i], ref.len[i]) == 0);
		ctl_hosts_free(hosts, n);
	}
out:
	free(said);
	free(text);
	return 0;
}

/* SPDX-License-Identifier: ISC */
/*
 * The words of the command tables as shell assignments: make builds the
 * bash completion of wsbenchctl from them (wsbenchd -W), since completion
 * must work with no daemon running, and lists typed there again would
 * drift from the tables.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "settings.h"

#define CMD_WORDS_MAX	2048

/* Appends " word" to list unless it is there already. */
static void
cmd_words_add(char *list, size_t cap, const char *word)
{
	char	key[128];
	size_t	len = strlen(list);

	snprintf(key, sizeof(key), " %s ", word);
	if (strstr(list, key) == NULL && len < cap)
		snprintf(list + len, cap - len, "%s ", word);
}

/* The n-th template: each command's, or each kind's of one with kinds. */
static const struct args_template *
cmd_words_template(size_t n)
{
	const struct cmd_entry		*e;
	const struct args_template	*t;
	const char			*name, *help;
	size_t				 i, k;

	for (i = 0; (e = cmd_entry_at(i)) != NULL; i++) {
		if (e->kind == NULL && n-- == 0)
			return &e->args;
		for (k = 0; e->kind != NULL &&
		    (t = e->kind(k, &name, &help)) != NULL; k++)
			if (n-- == 0)
				return t;
	}
	return NULL;
}

/* Options of all templates that take a value so (0: the flags). */
static void
cmd_words_opts(FILE *f, const char *var, int takes_value)
{
	const struct args_template	*t;
	const struct args_opt		*o;
	char				 list[CMD_WORDS_MAX] = " ";
	size_t				 n;

	for (n = 0; (t = cmd_words_template(n)) != NULL; n++)
		for (o = args_opts(t); o->name != NULL; o++)
			if (o->takes_value == takes_value)
				cmd_words_add(list, sizeof(list), o->name);
	list[strlen(list) - 1] = '\0';
	fprintf(f, "%s='%s'\n", var, list + 1);
}

/* _wsbenchctl_opts_KIND, or for a command _wsbenchctl_copts_NAME. */
static void
cmd_words_template_opts(FILE *f, const char *prefix, const char *name,
    const struct args_template *t)
{
	const struct args_opt	*o;
	const char		*sep = "";

	fprintf(f, "%s%s='", prefix, name);
	for (o = args_opts(t); o->name != NULL; o++, sep = " ")
		fprintf(f, "%s%s", sep, o->name);
	fprintf(f, "'\n");
}

void
cmd_words(FILE *f)
{
	const struct cmd_entry		*e;
	const struct args_template	*t;
	const char			*name, *help, *sep;
	size_t				 i, k;

	fprintf(f, "_wsbenchctl_commands='");
	for (i = 0; (e = cmd_entry_at(i)) != NULL; i++)
		fprintf(f, "%s%s", i > 0 ? " " : "", e->name);
	fprintf(f, "'\n");
	for (i = 0; (e = cmd_entry_at(i)) != NULL; i++) {
		if (e->kind == NULL) {
			cmd_words_template_opts(f, "_wsbenchctl_copts_",
			    e->name, &e->args);
			continue;
		}
		fprintf(f, "_wsbenchctl_kinds_%s='", e->name);
		for (k = 0; e->kind(k, &name, &help) != NULL; k++)
			fprintf(f, "%s%s", k > 0 ? " " : "", name);
		fprintf(f, "'\n");
		for (k = 0; (t = e->kind(k, &name, &help)) != NULL; k++)
			cmd_words_template_opts(f, "_wsbenchctl_opts_", name,
			    t);
	}
	cmd_words_opts(f, "_wsbenchctl_flags", 0);
	cmd_words_opts(f, "_wsbenchctl_repeatable", ARGS_MANY);
	fprintf(f, "_wsbenchctl_settings='");
	for (i = 0, sep = ""; i < SET_COUNT; i++)
		if ((name = settings_runtime_name(i)) != NULL) {
			fprintf(f, "%s%s", sep, name);
			sep = " ";
		}
	fprintf(f, "'\n");
}

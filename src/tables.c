/* SPDX-License-Identifier: ISC */
/*
 * The tables of tables.h, built here, above both the command layer and the
 * commands (and the job layer and the kinds), so that neither layer needs
 * to know what it holds: each only depends downwards.
 */
#include "config.h"

#include <stddef.h>

#include "cmd.h"
#include "job.h"
#include "tables.h"

#define TABLES_CMD_EXTERN(n)	extern const struct cmd_entry cmd_##n##_entry;
#define TABLES_CMD_REF(n)	&cmd_##n##_entry,
#define TABLES_KIND_EXTERN(n)	extern const struct job_kind job_kind_##n;
#define TABLES_KIND_REF(n)	&job_kind_##n,

TABLES_COMMANDS(TABLES_CMD_EXTERN)
TABLES_KINDS(TABLES_KIND_EXTERN)

static const struct cmd_entry *const tables_commands[] = {
	TABLES_COMMANDS(TABLES_CMD_REF)
};

static const struct job_kind *const tables_kinds[] = {
	TABLES_KINDS(TABLES_KIND_REF)
};

#define TABLES_N(t)	(sizeof(t) / sizeof((t)[0]))

void
tables_setup(void)
{
	cmd_set_table(tables_commands, TABLES_N(tables_commands));
	job_set_kinds(tables_kinds, TABLES_N(tables_kinds));
}

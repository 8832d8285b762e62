#include "config.h"

#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cmd.h"
#include "control.h"
#include "job.h"

static const struct args_opt cmd_watch_opts[] = {
	{ NULL, 0 }
};

static int
cmd_watch_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct args	a;

	if (cmd_args(ctx, &cmd_watch_entry, cmd_watch_opts, argc - 1,
	    argv + 1, 0, 1, &a) == -1)
		return -1;
	if (a.npos == 1 && job_find(a.pos[0]) == NULL)
		return cmd_error(ctx, "watch: no job named '%s'", a.pos[0]);
	if (ctx->client != NULL &&
	    control_watch(ctx->client, a.npos == 1 ? a.pos[0] : NULL) == -1)
		return cmd_error(ctx, "watch: out of memory");
	return 0;
}

/*
 * A recv job shows what it received, a push job what it sent.  With no
 * name: what all recv jobs received, or with none, what push jobs sent.
 */
int
cmd_watch_line(const char *name, char *line, size_t cap)
{
	struct job	*j;
	enum counter	 c = CTR_messages_received;
	const char	*kind = "recv";
	uint64_t	 rate = 0, total = 0;
	int		 found = 0;

	if (name != NULL) {
		if ((j = job_find(name)) == NULL)
			return -1;
		kind = j->kind->name;
	} else if (!job_kind_running("recv"))
		kind = "push";
	if (strcmp(kind, "push") == 0)
		c = CTR_messages_sent;
	TAILQ_FOREACH(j, job_list(), entry) {
		if ((name != NULL && strcmp(j->name, name) != 0) ||
		    strcmp(j->kind->name, kind) != 0)
			continue;
		rate += j->rate[c];
		total += job_total(j, c);
		found = 1;
	}
	snprintf(line, cap, "messages %s: %llu per second %llu total",
	    c == CTR_messages_sent ? "sent" : "received",
	    (unsigned long long)rate, (unsigned long long)total);
	return found || name == NULL ? 0 : -1;
}

const struct cmd_entry cmd_watch_entry = {
	.name = "watch",
	.usage = "[NAME]",
	.flags = CMD_CLIENT_ONLY | CMD_READONLY,
	.exec = cmd_watch_exec,
};

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd_parse.h"
#include "config_file.h"
#include "log.h"

static int
config_file_line(const char *path, unsigned int lineno, const char *line,
    int check)
{
	struct cmd_ctx	  ctx;
	const char	 *err;
	char		**argv;
	int		  argc, rc;

	if (cmd_parse_line(line, &argc, &argv, &err) == -1) {
		log_warnx("%s:%u: %s", path, lineno, err);
		return -1;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.check = check;
	rc = cmd_exec(&ctx, argc, argv);
	if (rc == -1)
		log_warnx("%s:%u: %s", path, lineno, ctx.err);
	cmd_free_argv(argc, argv);
	return rc;
}

int
config_file_load(const char *path, int check)
{
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0;
	unsigned int	 lineno = 0;
	int		 errors = 0;

	if ((f = fopen(path, "r")) == NULL) {
		log_warn("cannot read %s", path);
		return -1;
	}
	while (getline(&line, &cap, f) != -1) {
		lineno++;
		if (config_file_line(path, lineno, line, check) == -1)
			errors++;
	}
	if (ferror(f)) {
		log_warn("error reading %s", path);
		errors++;
	}
	free(line);
	fclose(f);
	return errors;
}

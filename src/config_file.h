/* The config file: a list of commands, one a line, run through cmd_exec(). */
#ifndef CONFIG_FILE_H
#define CONFIG_FILE_H

/*
 * Runs every command of the file at path (with check set, only validates
 * them).  Each error is logged as "path:line: message".  Returns the
 * number of errors, or -1 when the file cannot be read.
 */
int	config_file_load(const char *path, int check);

#endif

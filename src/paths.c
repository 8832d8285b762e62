/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "paths.h"

static int
paths_system_usable(int daemon)
{
	if (daemon)
		return geteuid() == 0 || access("/run/wsbenchd", W_OK) == 0;
	return access(PATHS_SYSTEM_SOCKET, F_OK) == 0;
}

const char *
paths_socket(int daemon, char *buf, size_t cap)
{
	const char	*env = getenv("WSBENCH_SOCKET");
	const char	*xdg = getenv("XDG_RUNTIME_DIR");

	if (env != NULL && *env != '\0')
		return env;
	if (paths_system_usable(daemon) || xdg == NULL || *xdg == '\0')
		return PATHS_SYSTEM_SOCKET;
	snprintf(buf, cap, "%s/%s", xdg, PATHS_USER_SOCKET);
	return buf;
}

int
paths_socket_dir(const char *path)
{
	char	*dir, *slash;
	int	 rc = 0;

	if ((dir = strdup(path)) == NULL)
		return -1;
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0755) == -1 && errno != EEXIST) {
			log_warn("cannot create %s", dir);
			rc = -1;
		}
	}
	free(dir);
	return rc;
}

int
paths_unix_addr(const char *path, struct sockaddr_un *sun)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -1;
	memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

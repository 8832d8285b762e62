/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sd_notify.h"

/* STATUS goes out every second: a manager that went away must not fill
 * the log with the same warning. */
static int	sd_notify_warned;

static int
sd_notify_fail(const char *func, const char *what)
{
	if (!sd_notify_warned)
		log_warn("%s: %s", func, what);
	sd_notify_warned = 1;
	return -1;
}

/* An absolute path, or '@' for a name in the abstract namespace, which has
 * a NUL first and is as long as the address length says, with no NUL
 * after it. */
static int
sd_notify_addr(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	size_t	n = strlen(path);

	if ((path[0] != '/' && path[0] != '@') || n < 2 ||
	    n > sizeof(sun->sun_path) - 1)
		return -1;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n);
	if (path[0] == '@')
		sun->sun_path[0] = '\0';
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	return 0;
}

int
sd_notify_send(const char *state)
{
	struct sockaddr_un	 sun;
	socklen_t		 len;
	const char		*path = getenv("NOTIFY_SOCKET");
	ssize_t			 n;
	int			 fd;

	if (path == NULL || *path == '\0')
		return 0;
	if (sd_notify_addr(path, &sun, &len) == -1) {
		errno = EINVAL;
		return sd_notify_fail(__func__, "NOTIFY_SOCKET");
	}
	/* A socket per message, as libsystemd does: nothing to keep open,
	 * and a restarted manager's new socket is simply used. */
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return sd_notify_fail(__func__, "socket");
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len);
	close(fd);
	if (n == -1)
		return sd_notify_fail(__func__, path);
	sd_notify_warned = 0;
	return 1;
}

/* A decimal number with nothing around it; 0 if it is not one. */
static unsigned long long
sd_notify_number(const char *s)
{
	unsigned long long	 v;
	char			*end;

	if (s == NULL || !isdigit((unsigned char)*s))
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	return v;
}

/* WATCHDOG_PID, when set, names the process the manager watches: a child
 * that inherited the variables must not answer for its parent. */
uint64_t
sd_notify_watchdog_usec(void)
{
	const char	*pid = getenv("WATCHDOG_PID");

	if (pid != NULL &&
	    sd_notify_number(pid) != (unsigned long long)getpid())
		return 0;
	return sd_notify_number(getenv("WATCHDOG_USEC"));
}

/* SPDX-License-Identifier: ISC */

#include "config.h"

#include <sys/socket.h>

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control_auth.h"
#include "settings.h"

#define CONTROL_AUTH_GROUPS	256	/* a user's groups we look through */

/* Whether the user uid (primary group gid) is in the group want. */
static int
control_auth_in_group(uid_t uid, gid_t gid, gid_t want)
{
	struct passwd	 pw, *res = NULL;
	gid_t		 groups[CONTROL_AUTH_GROUPS];
	char		 buf[4096];
	int		 n = CONTROL_AUTH_GROUPS, i;

	if (gid == want)
		return 1;
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return 0;
	if (getgrouplist(pw.pw_name, gid, groups, &n) == -1)
		return 0;
	for (i = 0; i < n; i++)
		if (groups[i] == want)
			return 1;
	return 0;
}

/* Whether the user is in the group named (NULL: gid dflt; "none", or
 * a group that is gone: nobody). */
static int
control_auth_in_named(uid_t uid, gid_t gid, const char *name, gid_t dflt)
{
	struct group	 gr, *res = NULL;
	char		 buf[4096];
	gid_t		 want = dflt;

	if (name != NULL) {
		if (strcmp(name, "none") == 0 || getgrnam_r(name, &gr, buf,
		    sizeof(buf), &res) != 0 || res == NULL)
			return 0;
		want = gr.gr_gid;
	}
	return want != (gid_t)-1 && control_auth_in_group(uid, gid, want);
}

enum control_auth
control_auth_check(int fd, char *why, size_t whylen)
{
	struct ucred	cred;
	socklen_t	len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
		snprintf(why, whylen, "cannot tell who is asking");
		return CONTROL_AUTH_REFUSED;
	}
	if (cred.uid == 0 || cred.uid == geteuid() ||
	    control_auth_in_named(cred.uid, cred.gid,
	    settings_get(SET_CONTROL_GROUP), getegid()))
		return CONTROL_AUTH_FULL;
	if (control_auth_in_named(cred.uid, cred.gid,
	    settings_get(SET_CONTROL_READ_GROUP), (gid_t)-1))
		return CONTROL_AUTH_READ;
	snprintf(why, whylen, "permission denied: uid %u is not root, the "
	    "daemon's user or in its group", (unsigned int)cred.uid);
	return CONTROL_AUTH_REFUSED;
}

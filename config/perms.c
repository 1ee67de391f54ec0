/*
 * perms: see perms.h.
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/perms.h"
#include "lib/errstr.h"

static int
trusted_owner(uid_t uid)
{
	return uid == geteuid() || uid == 0;
}

/* The user's name for the chown advice; their uid if unknown. */
static const char *
user_name(char *buf, size_t len)
{
	struct passwd *pw = getpwuid(geteuid());

	if (pw != NULL && pw->pw_name != NULL)
		return pw->pw_name;
	snprintf(buf, len, "%u", (unsigned)geteuid());
	return buf;
}

static int
refuse(const struct stat *st, const char *what, const char *path,
    char **errstr)
{
	char name[32];

	if (!trusted_owner(st->st_uid))
		return errstr_set(errstr, "%s%s belongs to another user (uid "
		    "%u): refusing it; run 'sudo chown %s %s' (or make a copy "
		    "of your own)", what, path, (unsigned)st->st_uid,
		    user_name(name, sizeof(name)), path);
	return errstr_set(errstr, "%s%s is writable by %s (mode %04o): "
	    "refusing it; run 'chmod go-w %s'", what, path,
	    (st->st_mode & 022) == 022 ? "group and others" :
	    (st->st_mode & 020) ? "its group" : "others",
	    (unsigned)(st->st_mode & 07777), path);
}

int
perms_check(const char *path, int fd, char **errstr)
{
	char *real, *slash;
	struct stat st;
	int ret = -1;

	if ((fd >= 0 ? fstat(fd, &st) : stat(path, &st)) == -1)
		return errstr_set(errstr, "%s: %s", path, strerror(errno));
	if (!trusted_owner(st.st_uid) || (st.st_mode & 022) != 0)
		return refuse(&st, "", path, errstr);
	if ((real = realpath(path, NULL)) == NULL)
		return errstr_set(errstr, "%s: %s", path, strerror(errno));
	/* Each folder above it, up to the root. */
	while ((slash = strrchr(real, '/')) != NULL) {
		if (slash == real)
			slash[1] = '\0';	/* "/" itself */
		else
			*slash = '\0';
		if (stat(real, &st) == -1) {
			errstr_set(errstr, "%s: %s", real, strerror(errno));
			goto out;
		}
		if (!trusted_owner(st.st_uid) || ((st.st_mode & 022) != 0 &&
		    !(st.st_mode & S_ISVTX))) {
			refuse(&st, "the folder ", real, errstr);
			goto out;
		}
		if (slash == real)
			break;
	}
	ret = 0;
out:
	free(real);
	return ret;
}

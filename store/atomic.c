/*
 * atomic: see atomic.h.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/errstr.h"
#include "store/atomic.h"

int
mkdir_private(const char *dir)
{
	char *p, *copy, c;
	int r = 0;

	if ((copy = strdup(dir)) == NULL)
		return -1;
	for (p = copy + 1; r == 0; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(copy, 0700) == -1 && errno != EEXIST)
			r = -1;
		*p = c;
		if (c == '\0')
			break;
	}
	free(copy);
	return r;
}

/* The directory `path` is in, created (0700) when missing; malloc'd. */
static char *
make_parent(const char *path, char **errstr)
{
	char *dir, *slash;

	if ((dir = strdup(path)) == NULL) {
		errstr_set(errstr, "out of memory");
		return NULL;
	}
	if ((slash = strrchr(dir, '/')) != NULL) {
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	} else
		strcpy(dir, ".");
	if (mkdir_private(dir) == -1) {
		errstr_set(errstr, "%s: cannot create the directory: %s", dir,
		    strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

int
atomic_write_file(const char *path, const char *data, size_t len,
    char **errstr)
{
	char *tmp = NULL, *dir;
	size_t off = 0;
	ssize_t n;
	int fd = -1, dfd = -1, saved;

	if ((dir = make_parent(path, errstr)) == NULL)
		return -1;
	if (asprintf(&tmp, "%s.new", path) == -1) {
		free(dir);
		errstr_set(errstr, "out of memory");
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		goto syserr;
	if (fchmod(fd, 0600) == -1)
		goto syserr;
	while (off < len) {
		n = write(fd, data + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto syserr;
		off += (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto syserr;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto syserr;
	/* The rename itself is durable once the directory is. */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	free(tmp);
	free(dir);
	return 0;
syserr:
	saved = errno;
	errstr_set(errstr, "%s: cannot write: %s", path, strerror(saved));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	free(tmp);
	free(dir);
	return -1;
}

/* 1 when `path` holds exactly `data` (then there is nothing to write). */
static int
same_content(const char *path, const char *data)
{
	size_t len = strlen(data), off = 0;
	struct stat sb;
	char buf[8192];
	ssize_t n;
	int fd, same = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return 0;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (size_t)sb.st_size == len) {
		same = 1;
		while (same && (n = read(fd, buf, sizeof(buf))) > 0) {
			if ((size_t)n > len - off ||
			    memcmp(buf, data + off, (size_t)n) != 0)
				same = 0;
			off += (size_t)n;
		}
		if (off != len)
			same = 0;
	}
	close(fd);
	return same;
}

int
atomic_update_file(const char *path, const char *data, char **errstr)
{
	if (same_content(path, data))
		return 0;
	return atomic_write_file(path, data, strlen(data), errstr);
}

int
lock_file(const char *path, int *fdp, char **errstr)
{
	char *dir;
	int fd, saved;

	*fdp = -1;
	if ((dir = make_parent(path, errstr)) == NULL)
		return -1;
	free(dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1) {
		errstr_set(errstr, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		saved = errno;
		errstr_set(errstr, "%s: %s", path, strerror(saved));
		close(fd);
		errno = saved;
		return -1;
	}
	*fdp = fd;
	return 0;
}

/*
 * readall: see readall.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/readall.h"

int
read_all(int fd, size_t max, char **bufp, size_t *lenp, int *cutp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nbuf, extra;
	ssize_t n;

	if (cutp != NULL)
		*cutp = 0;
	for (;;) {
		if (len == max) {
			/* Full: one byte more says whether fd ends here. */
			if ((n = read(fd, &extra, 1)) == -1) {
				if (errno == EINTR)
					continue;
				break;
			}
			if (n == 0)
				goto done;
			if (cutp == NULL) {
				errno = EFBIG;
				break;
			}
			*cutp = 1;
			goto done;
		}
		if (cap == len) {
			/* Never more room than max: the ceiling is also the
			   memory held. */
			cap = cap ? cap * 2 : 65536;
			if (cap > max)
				cap = max;
			if ((nbuf = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				errno = ENOMEM;
				return -1;
			}
			buf = nbuf;
		}
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (n == 0)
			goto done;
		len += (size_t)n;
	}
	n = errno;
	free(buf);
	errno = (int)n;
	return -1;
done:
	if (buf == NULL && (buf = malloc(1)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

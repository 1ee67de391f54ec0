/*
 * readall: see readall.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/readall.h"

int
read_all(int fd, size_t max, char **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nbuf;
	ssize_t n;

	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
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
		if (n == 0) {
			buf[len] = '\0';
			*bufp = buf;
			*lenp = len;
			return 0;
		}
		if ((len += (size_t)n) > max) {
			errno = EFBIG;
			break;
		}
	}
	n = errno;
	free(buf);
	errno = (int)n;
	return -1;
}

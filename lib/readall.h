/*
 * readall: all of a file descriptor into memory, with a ceiling.  Used by
 * `parse` (a saved mail) and the reader program (the mail on its stdin).
 */
#ifndef OFII_READALL_H
#define OFII_READALL_H

#include <stddef.h>

/*
 * Read fd to its end, at most `max` bytes, into a malloc'd NUL-terminated
 * buffer.  0 with *bufp and *lenp; -1 with errno (EFBIG: more than max,
 * ENOMEM, or read's own).  The fd is left open.
 */
int	read_all(int fd, size_t max, char **bufp, size_t *lenp);

#endif

/*
 * readall: all of a file descriptor into memory, with a ceiling.  Used by
 * `parse` (a saved mail) and the reader program (the mail on its stdin).
 */
#ifndef OFII_READALL_H
#define OFII_READALL_H

#include <stddef.h>

/*
 * Read fd to its end, at most `max` bytes, into a malloc'd NUL-terminated
 * buffer (never larger than max + 1).  0 with *bufp and *lenp; -1 with
 * errno (ENOMEM, or read's own).  When fd holds more than max bytes: with
 * cutp NULL, -1 and EFBIG; else 0 with its first max bytes and *cutp set
 * (the rest is left unread).  *cutp is 0 otherwise.  The fd is left open.
 */
int	read_all(int fd, size_t max, char **bufp, size_t *lenp, int *cutp);

#endif

/*
 * errstr: the project's one error convention.  A function that can fail
 * returns 0, or -1 and, when its `char **errstr` argument is not NULL, a
 * malloc'd one-line message there (the caller free()s it; NULL if even
 * that allocation failed).  No secret ever goes into a message.
 */
#ifndef OFII_ERRSTR_H
#define OFII_ERRSTR_H

#include <stdarg.h>

/* Format the message into *errstr (if errstr is not NULL); returns -1, so
   that `return errstr_set(errstr, "...")` reads as what it does. */
int	errstr_set(char **errstr, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	errstr_vset(char **errstr, const char *fmt, va_list)
	    __attribute__((format(printf, 2, 0)));

#endif

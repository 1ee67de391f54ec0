/*
 * errstr: see errstr.h.
 */
#include <stdarg.h>
#include <stdio.h>

#include "lib/errstr.h"

int
errstr_vset(char **errstr, const char *fmt, va_list ap)
{
	if (errstr != NULL && vasprintf(errstr, fmt, ap) == -1)
		*errstr = NULL;
	return -1;
}

int
errstr_set(char **errstr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	errstr_vset(errstr, fmt, ap);
	va_end(ap);
	return -1;
}

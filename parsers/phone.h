/*
 * phone: French phone numbers in running text ("02 41 44 86 17",
 * "0590 82 47 16", "+33 2 41 ...", "02.41.44.86.17", "+33 (0)2 ..."), for
 * the radiology centre the person must call.  The functions work on a
 * text and its folded form (frdate_fold); offsets are positions in the
 * folded text.  Pure: no I/O, no global state, no exit(), no recursion.
 */
#ifndef OFII_PHONE_H
#define OFII_PHONE_H

#include <stddef.h>

#include "parsers/frdate.h"

struct phone {
	size_t	 start, end;	/* folded offsets */
	char	*text;		/* digit grouping as written, separators ->
				   one space, "+33 (0)2" / "+33 2" -> "02" */
	char	 digits[16];	/* digits only, "0241448617", "33241..." */
};

/* Every phone number of the text, in order.  *phonesp is malloc'd (NULL
   when none); free with phone_free_all(). */
int	phone_scan(const char *text, const struct folded_text *,
	    struct phone **phonesp, size_t *nphonesp, char **errstr);
void	phone_free_all(struct phone *, size_t);

#endif

/*
 * address: French postal addresses in running text (phone numbers:
 * parsers/phone.h).
 *
 * An address is found from its "postal code + commune" part ("49100 Angers",
 * "75019 PARIS", "13331 Marseille Cedex 03"), then completed with the
 * street ("22 boulevard Ayrault", "7, rue Yves Collet", "14 bis avenue ...",
 * "BP 123") and the office or centre name written before it, either on the
 * same line separated by commas or TABs ("OFII - Service médical, 9 cours
 * Bosquet, 64000 Pau") or on the lines just above.
 *
 * Cedex: `city` is the commune alone ("Marseille"), `cedex` says a Cedex
 * mention followed, and `place` keeps the line as written ("..., 13331
 * Marseille Cedex 03").  A Cedex address is a mail-sorting address (letter
 * heads, P.O. boxes), never where a person is received: callers use that.
 *
 * The functions work on a text and its folded form (frdate_fold); offsets
 * are positions in the folded text.  Output strings come from the original
 * text: valid UTF-8, runs of white space collapsed, no control characters.
 * Pure: no I/O, no global state, no exit(), no recursion.
 */
#ifndef OFII_ADDRESS_H
#define OFII_ADDRESS_H

#include <stddef.h>

#include "parsers/frdate.h"

struct address {
	char	*name;		/* office or centre name, or NULL */
	char	*street;	/* street line(s), or NULL */
	char	 postal_code[6];
	char	*city;		/* commune as written, without Cedex */
	char	*place;		/* "name, street, CP city[ Cedex NN]" */
	char	*address;	/* "street, CP city[ Cedex NN]" (no name) */
	int	 cedex;
	int	 recipient;	/* follows a "Monsieur X"/"Madame Y" line:
				   looks like the addressee's own address */
	size_t	 start;		/* folded offset of the first line used */
	size_t	 pc_start;	/* folded offset of the postal code */
	size_t	 end;		/* folded offset after "CP city [Cedex NN]" */
};

/*
 * Every address whose postal code + commune occurs in the text, in order.
 * *addrsp is malloc'd (NULL when none); free with address_free_all().
 */
int	address_scan(const char *text, const struct folded_text *,
	    struct address **addrsp, size_t *naddrsp, char **errstr);
void	address_free_all(struct address *, size_t);

/*
 * The office or centre name on the line just above folded position pos
 * (a street line), as address_scan would take it: a short line, not a
 * sentence, a date, a phone, a civility or another street; a leading
 * label ("Lieu :") dropped.  malloc'd, or NULL when there is none (or on
 * out-of-memory).
 */
char	*address_name_above(const char *text, const struct folded_text *,
	    size_t pos);

/* 1 if the folded segment looks like a street line (number + street type,
   street type + name, BP/CS/TSA box). */
int	address_is_street(const char *folded, size_t len);

/* Olson zone of a postal code: 971 America/Guadeloupe, 972
   America/Martinique, 973 America/Cayenne, 974 Indian/Reunion, 976
   Indian/Mayotte, else Europe/Paris.  Static string. */
const char *address_tzid(const char *postal_code);

/*
 * Original text [ostart, oend) as one clean line: malloc'd, white space
 * runs (TAB, NBSP, line breaks) -> one space, control characters and
 * invalid UTF-8 dropped, trimmed.  NULL on out-of-memory.
 */
char	*address_clean(const char *text, size_t ostart, size_t oend);

#endif

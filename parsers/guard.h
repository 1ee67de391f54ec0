/*
 * guard: how much of a MIME input is safe to give to libetpan's parser.
 * Internal to parsers/message.c (and its tests).  Pure: no I/O, no global
 * state.
 *
 * libetpan's MIME parser recurses once per nesting level (an 8 MB stack
 * overflows at about 25,000 levels), its time grows with depth x size, and
 * every header-like line becomes allocations in its tree.  One linear pass
 * over the bytes it would see bounds all three before it runs: containers
 * (multipart, message) nested deeper than max_depth are turned, in place,
 * into one leaf of type GUARD_CUT_TYPE (which the caller drops); more than
 * GUARD_PARTS_FACTOR x max_parts delimiters or Content-Type fields, a
 * part's header field longer than max_header_line, more than 50,000 header
 * lines or about 128 MB of boundary scanning set the cut there.  What
 * comes before the cut is still parsed: the shallow parts of a hostile
 * mail are not lost.
 */
#ifndef OFII_GUARD_H
#define OFII_GUARD_H

#include <stddef.h>

#include "parsers/message.h"

/* Entities (delimiter lines, Content-Type fields) allowed per max_parts
   before libetpan would spend too much memory on them. */
#define GUARD_PARTS_FACTOR	4

/* The content type a too-deep container's field is rewritten to. */
#define GUARD_CUT_TYPE	"x-ofii/cut"

struct guard {
	size_t	cut;		/* bytes libetpan may parse (len: all) */
	int	limited;	/* a limit was hit: why says which */
	char	why[160];	/* "MIME structure cut short: ...", one line
				   of printable ASCII, when limited */
};

/*
 * Scan raw[0, len), the input libetpan is about to parse (top-level MIME
 * fields, an empty line, the body), against lim, and fill *g.  May rewrite
 * Content-Type fields of raw in place (same length: nothing else moves).
 * 0, or -1 on out-of-memory (*g is then meaningless).
 */
int	guard_mime(struct guard *g, char *raw, size_t len,
	    const struct message_limits *lim);

/* "Name:" or "Name :" at the start of the line [line, line + n)?  1 and
   *namelen (the name without spaces), or 0.  The one test of a header
   field line, shared with the top-level header split. */
int	guard_field_name(const char *line, size_t n, size_t *namelen);

#endif

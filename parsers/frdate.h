/*
 * frdate: French and English dates, times and time windows found in running
 * text ("le mardi 8 mars 2022", "1er avril 2023", "08/03/22",
 * "Tuesday, March 8, 2022", "9 h 30", "2 pm", "de 13h à 16h", ...).
 *
 * Matching is accent- and case-insensitive: the text is first folded
 * (frdate_fold: lowercase ASCII letters, accents and ligatures removed,
 * typographic apostrophes, dashes and spaces made plain) and every match
 * carries byte offsets, both in the folded text and back in the original,
 * so that callers can relate dates, times and the words around them.
 *
 * Pure: no I/O, no global state, no exit(), no recursion.  Work is linear
 * in the input.
 */
#ifndef OFII_FRDATE_H
#define OFII_FRDATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Folded text.  s[i] is plain ASCII for everything the scanners care about:
 * letters lowercase without accents ("é" -> "e", "œ" -> "oe", "ﬁ" -> "fi"),
 * ’ ‘ ′ -> ', « » “ ” -> ", every dash -> -, NBSP/NNBSP/thin spaces -> space,
 * CR and CRLF -> \n, other control characters -> space (TAB is kept: it
 * separates table cells), zero-width characters and soft hyphens dropped,
 * bullets -> '*'.  Characters without an ASCII form (Cyrillic, CJK, ...)
 * are copied unchanged; invalid UTF-8 bytes become '?'.
 * off[i] is the byte offset in the original text where the character that
 * produced s[i] starts; off[len] is the original length.
 */
struct folded_text {
	char		*s;
	size_t		 len;
	uint32_t	*off;
};

/* Texts longer than this are cut (at a character boundary) before folding. */
#define FRDATE_MAX_TEXT		(4u * 1024 * 1024)

int	frdate_fold(const char *text, size_t len, struct folded_text *out,
	    char **errstr);
void	frdate_fold_free(struct folded_text *);

enum frdate_kind {
	FRDATE_DATE,		/* year, month, day (weekday) */
	FRDATE_TIME,		/* hour, minute */
	FRDATE_WINDOW		/* hour, minute -> end_hour, end_minute */
};

struct frdate_token {
	enum frdate_kind kind;
	size_t		 start, end;	/* [start, end) in the scanned text */
	int		 year;		/* 0: no year written ("le 7 mars") */
	int		 month, day;	/* 1..12, 1..31 (validated) */
	int		 weekday;	/* written weekday 0=Monday..6, or -1 */
	int		 numeric;	/* date written with digits only */
	int		 relative;	/* "demain", "ce jeudi", "lundi
					   prochain": resolved from the
					   reference day (frdate_scan_ref) */
	int		 hour, minute;
	int		 end_hour, end_minute;
};

/*
 * Scan folded text (frdate_fold's s) for dates, times and windows, in order
 * of position; the offsets are positions in that folded text.  *toksp is
 * malloc'd (NULL when none), the caller free()s it.
 */
int	frdate_scan(const char *folded, size_t len,
	    struct frdate_token **toksp, size_t *ntoksp, char **errstr);

/*
 * The same, with the day the text was written (the mail's Date, in its
 * own zone): relative dates ("demain", "après-demain", "aujourd'hui",
 * "ce jeudi", "lundi prochain", "tomorrow", "this Thursday", "next
 * Monday") become dates of the calendar, marked `relative`.  Without a
 * reference (ref NULL) they are not dates, as in frdate_scan.
 */
struct civil_date;
int	frdate_scan_ref(const char *folded, size_t len,
	    const struct civil_date *ref, struct frdate_token **toksp,
	    size_t *ntoksp, char **errstr);

/* The same on original UTF-8 text: folds it, and offsets refer to it. */
int	frdate_scan_text(const char *text, size_t len,
	    struct frdate_token **toksp, size_t *ntoksp, char **errstr);

/* 1 if y-m-d is a real calendar date (1900..2199), else 0. */
int	frdate_valid(int year, int month, int day);
/* 0 = Monday .. 6 = Sunday, for a valid date. */
int	frdate_weekday(int year, int month, int day);
/* Days since 1970-01-01 (proleptic Gregorian), for comparisons. */
long	frdate_days(int year, int month, int day);

#endif

/*
 * message: one raw RFC 5322 mail (bytes) -> headers, decoded UTF-8 text
 * parts and attachments.  Pure: no I/O, no global state, no exit().
 *
 * Error convention (whole project): functions return 0 on success and -1 on
 * failure; on failure *errstr, when errstr is not NULL, receives a malloc'd
 * one-line message the caller free()s.
 */
#ifndef OFII_MESSAGE_H
#define OFII_MESSAGE_H

#include <stddef.h>
#include <time.h>

struct message_limits {
	size_t	max_message;		/* whole message, bytes (25 MiB) */
	size_t	max_header_line;	/* one unfolded header field (64 KiB) */
	int	max_depth;		/* MIME nesting levels walked (64) */
	int	max_parts;		/* MIME entities in all (256) */
	size_t	max_attachment;		/* one decoded part (20 MiB) */
};

/*
 * How the limits apply.  A top-level header field longer than
 * max_header_line is cut; any other (a MIME part's) stops the MIME parse
 * there.  libetpan's parser recurses per level and its time grows with
 * depth x size, so before it runs a linear prescan bounds what it sees:
 * containers (multipart, message) nested deeper than max_depth become one
 * dropped leaf; more than 4 x max_parts delimiters or Content-Type fields,
 * more than 50,000 header lines or about 128 MB of boundary scanning stop
 * the parse at that point.  What comes before is still read: the shallow
 * parts of a hostile mail are not lost.  At most 1000 top-level fields are
 * kept.
 */

void	message_limits_default(struct message_limits *);

/* Top-level header field, in message order (topmost first). */
struct message_header {
	char	*name;		/* as written, e.g. "Authentication-Results" */
	char	*value;		/* unfolded (CRLF+WSP -> one space), raw: not
				   RFC 2047-decoded, control chars removed,
				   trimmed; valid UTF-8 (8-bit bytes read as
				   UTF-8 if valid, else windows-1252) */
};

enum part_kind {
	PART_TEXT,		/* text/plain (or unknown text/...) */
	PART_HTML,		/* text/html */
	PART_PDF,		/* decoded bytes carry the %PDF- magic (in the
				   first 1024 bytes, as readers allow) and the
				   part is not text (or is named *.pdf):
				   application/pdf, octet-stream, ...  A part
				   declared PDF without the magic is OTHER
				   (decoders never fail: garbage is caught) */
	PART_CALENDAR,		/* text/calendar, application/ics or a *.ics
				   file (also an alternative next to the
				   chosen one): data is its UTF-8 text, text
				   is NULL: not letter text, read by
				   parsers/structured.c */
	PART_OTHER
};

struct message_part {
	enum part_kind	 kind;
	char		*content_type;	/* lowercase "type/subtype" */
	char		*filename;	/* UTF-8 (RFC 2231/2047 decoded) or NULL */
	char		*data;		/* decoded bytes, NUL-terminated; for TEXT,
					   HTML and CALENDAR: valid UTF-8 (converted from the
					   declared charset, invalid bytes -> U+FFFD,
					   NUL bytes dropped) */
	size_t		 len;		/* bytes in data, without the final NUL */
	char		*text;		/* UTF-8 plain text of this part: TEXT ->
					   copy of data, HTML -> html_to_text(),
					   both with CRLF -> LF and control chars
					   but \n and \t removed (text_clean_
					   controls());
					   PDF -> NULL until the caller fills it in
					   (pdf_to_text runs in a child process, so
					   it is not done here).  Owned by the part:
					   message_free() frees it. */
	int		 depth;		/* MIME nesting depth, 0 = top: the
					   children of a multipart or the body of
					   a message/rfc822 at depth d are at d+1 */
	int		 forwarded;	/* inside a message/rfc822 part */
	int		 attachment;	/* Content-Disposition: attachment */
};

struct message {
	struct message_header	*headers;	/* top-level fields, in order */
	size_t			 nheaders;
	char			*from;		/* From display, UTF-8, decoded: the
						   display name, else the address;
						   the whole field if it is not a
						   well-formed mailbox list; or "" */
	char			*from_addr;	/* From addr-spec (first mailbox),
						   lowercase, or "" when the field
						   is not a well-formed mailbox list
						   (libetpan reads some broken ones
						   differently from mail clients) */
	char			*subject;	/* UTF-8, RFC 2047 decoded, or "" */
	char			*message_id;	/* as written, with <>, or "" */
	char			*date;		/* Date field as written, or "" */
	time_t			 date_utc;	/* parsed Date, or (time_t)-1 */
	int			 date_year, date_month, date_day;
						/* the Date's day in its own zone
						   (what "demain" counts from),
						   or 0 */
	struct message_part	*parts;		/* leaves worth reading, in order;
						   one alternative chosen per
						   multipart/alternative */
	size_t			 nparts;
	int			 truncated;	/* a limit was hit: some parts were
						   skipped (see warning) */
	int			 cut;		/* only the start of the mail was
						   read (max_message): a part
						   the cut goes through is
						   dropped, a text part read
						   as far as it goes */
	size_t			 skipped_parts;	/* parts not read for their size:
						   over max_attachment, or cut
						   short with the mail */
	char			*warning;	/* first limit/decoding problem, or
						   NULL; printable ASCII, one line
						   (safe to log) */
};

/*
 * Parse a raw message.  Hostile input (broken encodings, deep nesting, huge
 * lines) never makes this fail: what cannot be read is skipped, `truncated`
 * and `warning` say so.  A message larger than lim->max_message is read as
 * message_parse_cut() reads its first max_message bytes.  Fails only on
 * out-of-memory.  lim NULL means defaults.
 */
int	message_parse(const char *raw, size_t len,
	    const struct message_limits *lim, struct message **msgp,
	    char **errstr);

/*
 * The same for the first `len` bytes of a larger mail, cut before it got
 * here (a fetch or a read stopped at max_message: the whole was never
 * held).  Its headers and the parts before the cut are read; a part the
 * cut goes through is dropped (skipped_parts), unless it is text, which is
 * read as far as it goes; `cut`, `truncated` and `warning` say so.
 */
int	message_parse_cut(const char *raw, size_t len,
	    const struct message_limits *lim, struct message **msgp,
	    char **errstr);
void	message_free(struct message *);

/* The first (topmost) header field with this name (case-insensitive), or NULL. */
const char *message_header(const struct message *, const char *name);

#endif

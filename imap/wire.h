/*
 * wire: the IMAP protocol text, both ways, as pure functions: no libcurl,
 * no sockets, no clock.  The server's byte stream is reassembled into
 * complete responses (lines with their literals, under hard bounds), each
 * response is parsed into what one command's reply said, and the commands
 * the session sends are built here.
 *
 * For imap/session.c and the unit and fuzz tests only: the daemon sees
 * nothing of this, only imap/session.h.  The values the parser builds
 * (folders, UIDs, message infos, mailbox figures) are the public types of
 * imap/session.h, whose free functions are defined in imap/wire.c.
 */
#ifndef OFII_IMAP_WIRE_H
#define OFII_IMAP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "imap/session.h"

/*
 * The longest response line accepted.  libcurl corrupts lines longer than
 * about half of its buffer (512 KiB in imap/session.c): refused before.
 */
#define IMAP_MAX_LINE		(96 * 1024)

/*
 * The reassembled server byte stream of one command: complete responses
 * (a line, with any literals {n} inside it) are handed to `cb` one by one.
 * Bounded: a line longer than IMAP_MAX_LINE or a response (literals
 * included) larger than `limit` is an error, reported as soon as it is
 * announced (a literal of 2 GiB is refused when its "{n}" arrives).
 */
struct imap_stream {
	char	*buf;		/* the response being assembled */
	size_t	 len, cap;
	size_t	 line_start;	/* start of the current line in buf */
	uint64_t literal_left;	/* bytes of a literal still to come */
	size_t	 limit;
	int	 failed;
	int	 oversize;	/* failed on a literal above the limit */
	char	*err;		/* why it failed, malloc'd */
	int	(*cb)(void *arg, const char *resp, size_t len, char **errstr);
	void	*arg;
};

void	imap_stream_init(struct imap_stream *, size_t limit,
	    int (*cb)(void *, const char *, size_t, char **), void *arg);
/* 0, or -1 (then ->err says why, and every later call fails too). */
int	imap_stream_feed(struct imap_stream *, const char *, size_t);
/* -1 if a response was left incomplete (dropped or cut connection). */
int	imap_stream_finish(struct imap_stream *);
void	imap_stream_clear(struct imap_stream *);
/*
 * Fail the stream from outside, for a bound its feeder keeps (the first
 * reason given stays in ->err).  Always -1.
 */
int	imap_stream_failf(struct imap_stream *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * What one command's responses said (filled by imap_parse_response).
 * The fields marked "asked" are set by the caller after imap_reply_init,
 * before any response: they say what the command asked for.
 */
struct imap_reply {
	enum { IMAP_CMD_OTHER, IMAP_CMD_LIST, IMAP_CMD_EXAMINE, IMAP_CMD_STATUS,
	    IMAP_CMD_SEARCH, IMAP_CMD_FETCH } cmd;
	/* the final tagged line: 'O'k, 'N'o, 'B'ad, 0 = none seen yet */
	char		 status;
	char		*status_text;	/* sanitized text after OK/NO/BAD */
	char		*bye;		/* sanitized text of a * BYE */
	char		*caps;		/* last CAPABILITY seen, or NULL */
	struct imap_mailbox mailbox;
	int		 seen_uidvalidity;
	struct imap_folder_list folders;
	struct imap_uids uids;		/* unsorted, may repeat */
	uint32_t	 uid_min;	/* asked, SEARCH: drop below */
	/* FETCH: headers of these UIDs (asked, sorted), or one body */
	uint32_t	*want_uids;
	size_t		 nwant_uids;
	struct imap_msginfos infos;
	int		 want_body;	/* asked */
	uint32_t	 body_uid;	/* asked */
	char		*body;
	size_t		 body_len;
	int		 body_seen;
	uint64_t	 body_size;	/* RFC822.SIZE when asked */
	int		 size_seen;
};

void	imap_reply_init(struct imap_reply *, int cmd);
/* Frees everything, want_uids included. */
void	imap_reply_clear(struct imap_reply *);
/* One complete response (as from imap_stream).  0, or -1 and *errstr. */
int	imap_parse_response(struct imap_reply *, const char *resp,
	    size_t len, char **errstr);
/* imap_stream callback: arg is a struct imap_reply. */
int	imap_reply_cb(void *arg, const char *resp, size_t len,
	    char **errstr);

/* Sorts v[0..n) ascending and drops repeats; returns the new count. */
size_t	imap_uids_sort_unique(uint32_t *v, size_t n);

/* "INBOX", "Junk"... -> a quoted IMAP string of the mUTF-7 name. */
int	imap_quote_mailbox(const char *utf8, char **outp, char **errstr);
/* The UID SEARCH command for these criteria (malloc'd). */
int	imap_search_command(const struct imap_criteria *, char **cmdp,
	    char **errstr);
/* "1,3,5:9" for n >= 1 sorted, unique uids (malloc'd); NULL: no memory. */
char	*imap_uid_set(const uint32_t *uids, size_t n);

#endif

/*
 * imap: a read-only IMAP session over libcurl.
 *
 * One session = one libcurl easy handle = (normally) one connection, kept
 * open across the commands of a poll and across polls: an idle poll is then
 * one EXAMINE, a few hundred bytes.  libcurl does the transport: TCP, TLS
 * (imaps://, or imap:// with STARTTLS required: a server that does not
 * offer it is refused, never used in plain text), certificate and host
 * verification, login (password, or XOAUTH2).  imap.c sends every command
 * as a custom request and parses the responses itself from the byte stream
 * libcurl hands to its header callback (untagged lines and literals), with
 * hard bounds on every size.
 *
 * The mailbox is never modified: folders are opened with EXAMINE (read
 * only), bodies fetched with BODY.PEEK; no SELECT, STORE, APPEND, EXPUNGE,
 * and no libcurl URL fetch (which SELECTs and sets \Seen).
 *
 * Every operation returns 0, or -1 with a malloc'd one-line *errstr (the
 * caller frees) and imap_error_kind() saying what kind of failure it was,
 * so the caller can back off, skip one message, or tell the person.
 * A transient failure is retried once inside (a reused connection the
 * server closed, e.g. after its 30-minute autologout), re-EXAMINE'ing the
 * folder on the new connection.
 *
 * Intended use by poll.c (for each folder):
 *	imap_examine(s, folder, &mb)
 *	unchanged UIDVALIDITY and UIDNEXT -> done (an idle poll ends here)
 *	imap_uid_search(s, &criteria, &uids)   new UIDs that may matter
 *	imap_fetch_headers(s, uids, &infos)    From/Subject/Message-ID/Date, size
 *	imap_fetch_body(s, uid, &msg)          the real candidates only
 * Not thread-safe; one session per thread.
 */
#ifndef OFII_IMAP_H
#define OFII_IMAP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config/config.h"

enum imap_error {
	IMAP_OK = 0,
	IMAP_ERR_CONFIG,	/* bad url, insecure off loopback: fix config */
	IMAP_ERR_AUTH,		/* credentials refused: report, back off long */
	IMAP_ERR_TLS,		/* certificate, handshake, no STARTTLS */
	IMAP_ERR_NETWORK,	/* connect, timeout, dropped: retry later */
	IMAP_ERR_PROTOCOL,	/* NO/BAD, BYE, malformed or oversized reply */
	IMAP_ERR_TOOBIG,	/* message above max_message_size: skip it */
	IMAP_ERR_CHANGED	/* UIDVALIDITY changed under us: rescan */
};

struct imap_session;

/* \Noselect etc. from LIST, and the special uses (RFC 6154). */
#define IMAP_FOLDER_NOSELECT	0x0001	/* \Noselect or \NonExistent */
#define IMAP_FOLDER_JUNK	0x0002	/* \Junk */
#define IMAP_FOLDER_TRASH	0x0004
#define IMAP_FOLDER_SENT	0x0008
#define IMAP_FOLDER_DRAFTS	0x0010
#define IMAP_FOLDER_ARCHIVE	0x0020
#define IMAP_FOLDER_ALL		0x0040	/* Gmail's "All Mail" */
#define IMAP_FOLDER_INBOX	0x0080	/* the name is INBOX */
#define IMAP_FOLDER_JUNK_NAME	0x0100	/* no \Junk, but a usual Junk name */

struct imap_folder {
	char		*name;		/* UTF-8, as people and config name it */
	unsigned	 flags;		/* IMAP_FOLDER_* */
	char		 delim;		/* hierarchy separator, '\0' if none */
};

struct imap_folder_list {
	struct imap_folder *v;
	size_t		    n;
};

struct imap_mailbox {
	uint32_t	uidvalidity;	/* 0: the server did not say */
	uint32_t	uidnext;	/* 0: the server did not say: SEARCH */
	uint32_t	exists;
};

/*
 * A UID SEARCH: UID uid_min:uid_max (or uid_min:*) and, when set, SINCE (INTERNALDATE, day
 * precision), and an OR of the FROM and SUBJECT substrings (UTF-8; CHARSET
 * UTF-8 is sent when one is not ASCII).  No strings: every new message.
 */
struct imap_criteria {
	uint32_t	   uid_min;	/* >= 1 */
	uint32_t	   uid_max;	/* 0: no upper bound ("*") */
	time_t		   since;	/* 0: none; local date of this instant */
	const char *const *from;
	size_t		   nfrom;
	const char *const *subject;
	size_t		   nsubject;
};

struct imap_uids {
	uint32_t	*v;		/* ascending, no duplicates */
	size_t		 n;
	int		 truncated;	/* more than the limit: search again */
};

struct imap_msginfo {
	uint32_t	 uid;
	uint64_t	 size;		/* RFC822.SIZE */
	char		*headers;	/* raw From/Subject/Message-ID/Date
					   lines, NUL-terminated; may be "" */
	size_t		 headers_len;
};

struct imap_msginfos {
	struct imap_msginfo *v;		/* ascending UID */
	size_t		     n;
};

/*
 * Limits: a SEARCH result line (libcurl corrupts lines longer than about
 * half of its buffer; imap.c refuses them before that), UIDs returned by
 * one imap_uid_search, header bytes per message, and any other response.
 */
#define IMAP_MAX_LINE		(96 * 1024)
#define IMAP_MAX_SEARCH_UIDS	10000
#define IMAP_MAX_HEADERS	(64 * 1024)
#define IMAP_MAX_FETCH_BATCH	100

/*
 * A session for cfg's [account].  Gets the password (or the XOAUTH2
 * token) now, from the configured source, and keeps it (wiped on close) to
 * reconnect; does not connect.  cfg must outlive the session.
 */
struct imap_session *imap_open(const struct config *cfg, char **errstr);

/* LOGOUT if connected; the next operation connects again. */
void	imap_disconnect(struct imap_session *);

/* LOGOUT if connected; frees everything.  NULL is fine. */
void	imap_close(struct imap_session *);

/* What the last failed operation failed on (IMAP_OK after a success). */
enum imap_error imap_error_kind(const struct imap_session *);
const char *imap_error_name(enum imap_error);

/*
 * Connect and log in if not connected, then CAPABILITY.  *capsp (may be
 * NULL) gets the capability list, space-separated, malloc'd.
 */
int	imap_capabilities(struct imap_session *, char **capsp, char **errstr);
/* 1 if the last CAPABILITY (or login response) listed `cap`. */
int	imap_has_capability(const struct imap_session *, const char *cap);

/*
 * Every folder: LIST "" "*" RETURN (SPECIAL-USE) when the server has
 * SPECIAL-USE, else plain LIST and usual names (Junk, Spam, Courrier
 * indésirable, [Gmail]/Spam, ...) mark IMAP_FOLDER_JUNK_NAME.  Names are
 * decoded from modified UTF-7 (undecodable ones are skipped, with a
 * warning).  Free with imap_folder_list_free.
 */
int	imap_list(struct imap_session *, struct imap_folder_list *,
	    char **errstr);
void	imap_folder_list_free(struct imap_folder_list *);
/* The folder to watch for junk: \Junk first, else a usual name; or NULL. */
const struct imap_folder *imap_junk_folder(const struct imap_folder_list *);

/*
 * STATUS folder (UIDNEXT UIDVALIDITY): the cheapest "anything new?" —
 * nothing is opened on the server.  Only when no folder is selected in
 * this session (a selected folder's STATUS may be stale): 1 and *mb
 * filled, 0 when STATUS cannot be used now (call imap_examine), -1 on error.
 */
int	imap_status(struct imap_session *, const char *folder,
	    struct imap_mailbox *, char **errstr);

/*
 * Leave the EXAMINE'd folder (UNSELECT, RFC 3691, when the server has it;
 * never CLOSE) so that the next pass can use STATUS.  0, or -1.
 */
int	imap_unselect(struct imap_session *, char **errstr);

/* EXAMINE (read-only) a folder, by its UTF-8 name. */
int	imap_examine(struct imap_session *, const char *folder,
	    struct imap_mailbox *, char **errstr);

/*
 * UID SEARCH in the EXAMINE'd folder.  UIDs below uid_min are dropped
 * (UID n:* always returns the highest UID, even when it is below n).  At
 * most IMAP_MAX_SEARCH_UIDS, the lowest, with ->truncated set: search
 * again from the last one + 1.  Free with imap_uids_free.
 */
int	imap_uid_search(struct imap_session *, const struct imap_criteria *,
	    struct imap_uids *, char **errstr);
void	imap_uids_free(struct imap_uids *);

/*
 * UID, RFC822.SIZE and the From, Subject, Message-ID and Date header
 * lines of each of uids[0..n) (BODY.PEEK: no \Seen), in batches of
 * IMAP_MAX_FETCH_BATCH.  A UID that no longer exists is simply absent
 * from the result.  Free with imap_msginfos_free.
 */
int	imap_fetch_headers(struct imap_session *, const uint32_t *uids,
	    size_t n, struct imap_msginfos *, char **errstr);
void	imap_msginfos_free(struct imap_msginfos *);

/*
 * The whole message (BODY.PEEK[]: no \Seen) into a malloc'd *bufp
 * (NUL-terminated, *lenp bytes).  Its RFC822.SIZE is asked first: above
 * cfg->max_message_size -> IMAP_ERR_TOOBIG without downloading it (and a
 * server sending more than it announced is cut off the same way).  A UID
 * that no longer exists -> IMAP_ERR_PROTOCOL.
 */
int	imap_fetch_body(struct imap_session *, uint32_t uid, char **bufp,
	    size_t *lenp, char **errstr);

/*
 * Bytes on the wire (TCP payload, TLS included) received and sent on the
 * current connection since it was opened, from the kernel (TCP_INFO): for
 * benchmarks.  -1 when not connected.
 */
int	imap_wire_bytes(const struct imap_session *, uint64_t *in,
	    uint64_t *out);

/* Connections opened so far by this session (1 when it was never lost). */
unsigned long imap_connections(const struct imap_session *);

/*
 * For tests only.  CURLOPT_INTERFACE for the next connections (to connect
 * from 127.0.0.2: Dovecot treats 127.0.0.1 -> 127.0.0.1 as secured).
 */
void	imap_test_set_interface(struct imap_session *, const char *);

/* ---- Response parsing, pure functions (exposed for the unit tests) ---- */

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
 * What one command's responses said (filled by imap_parse_response).
 * Owned by imap.c; in this header for the unit tests.
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
	struct imap_uids uids;
	uint32_t	 uid_min;	/* SEARCH: drop below */
	size_t		 max_uids;
	/* FETCH: headers of these UIDs (sorted), or one body */
	uint32_t	*want_uids;
	size_t		 nwant_uids;
	struct imap_msginfos infos;
	int		 want_body;
	uint32_t	 body_uid;
	char		*body;
	size_t		 body_len;
	int		 body_seen;
	uint64_t	 body_size;	/* RFC822.SIZE when asked */
	int		 size_seen;
};

void	imap_reply_init(struct imap_reply *, int cmd);
void	imap_reply_clear(struct imap_reply *);
/* Forget what was received, keep what was asked (for a retry). */
void	imap_reply_restart(struct imap_reply *);
/* One complete response (as from imap_stream).  0, or -1 and *errstr. */
int	imap_parse_response(struct imap_reply *, const char *resp,
	    size_t len, char **errstr);
/* imap_stream callback: arg is a struct imap_reply. */
int	imap_reply_cb(void *arg, const char *resp, size_t len,
	    char **errstr);

/* "INBOX", "Junk"... -> a quoted IMAP string of the mUTF-7 name. */
int	imap_quote_mailbox(const char *utf8, char **outp, char **errstr);
/* The UID SEARCH command for these criteria (malloc'd). */
int	imap_search_command(const struct imap_criteria *, char **cmdp,
	    char **errstr);

#endif

/*
 * imap: a read-only IMAP session over libcurl.
 *
 * One session = one libcurl easy handle = (normally) one connection, kept
 * open across the commands of a poll and across polls: an idle poll is then
 * one EXAMINE, a few hundred bytes.  libcurl does the transport: TCP, TLS
 * (imaps://, or imap:// with STARTTLS required: a server that does not
 * offer it is refused, never used in plain text), certificate and host
 * verification, login (password, or XOAUTH2).  Every command is sent as
 * a custom request, and the responses are parsed (imap/wire.h) from
 * the byte stream libcurl hands to its header callback (untagged lines and
 * literals), with hard bounds on every size.
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
 * Intended use by daemon/poll.c (for each folder):
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
	IMAP_ERR_TOOBIG,	/* a reply larger than asked for (a body
				   literal above its limit): the mail's
				   fault, retried then given up */
	IMAP_ERR_CHANGED,	/* UIDVALIDITY changed under us: rescan */
	IMAP_ERR_INTERRUPTED	/* keepalive_poll() asked to stop: nobody's
				   fault, nothing to retry now */
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
 * most 10000, the lowest, with ->truncated set: search again from the
 * last one + 1.  Free with imap_uids_free.
 */
int	imap_uid_search(struct imap_session *, const struct imap_criteria *,
	    struct imap_uids *, char **errstr);
void	imap_uids_free(struct imap_uids *);

/*
 * UID, RFC822.SIZE and the From, Subject, Message-ID and Date header
 * lines of each of uids[0..n) (BODY.PEEK: no \Seen), in batches of 100
 * UIDs.  A UID that no longer exists is simply absent from the result.
 * Free with imap_msginfos_free.
 */
int	imap_fetch_headers(struct imap_session *, const uint32_t *uids,
	    size_t n, struct imap_msginfos *, char **errstr);
void	imap_msginfos_free(struct imap_msginfos *);

/*
 * The whole message (BODY.PEEK[]: no \Seen) into a malloc'd *bufp
 * (NUL-terminated, *lenp bytes), at most cfg->max_message_size bytes: a
 * larger one (by its RFC822.SIZE, or larger than announced) is fetched up
 * to that size only, and *cutp set (0 otherwise).  A UID that no longer
 * exists -> IMAP_ERR_PROTOCOL; a reply larger than what was asked for
 * (a literal above the reply's limit) -> IMAP_ERR_TOOBIG.
 */
int	imap_fetch_body(struct imap_session *, uint32_t uid, char **bufp,
	    size_t *lenp, int *cutp, char **errstr);

/*
 * Bytes on the wire (TCP payload, TLS included) received and sent on the
 * current connection since it was opened, from the kernel (TCP_INFO): for
 * benchmarks.  -1 when not connected.
 */
int	imap_wire_bytes(const struct imap_session *, uint64_t *in,
	    uint64_t *out);

/* Connections opened so far by this session (1 when it was never lost). */
unsigned long imap_connections(const struct imap_session *);

#endif

/*
 * state: everything ofii-watch remembers between runs, in ONE file,
 * $XDG_STATE_HOME/ofii-watch/state.json (~/.local/state when unset),
 * written atomically (write state.json.new, fsync, rename, fsync the
 * directory; file 0600, directory 0700).
 *
 * Who uses what:
 *  - the poll (daemon/poll.c): per folder UIDVALIDITY and last UID seen, the
 *    Message-IDs already processed (bounded, oldest dropped first), the
 *    last poll and its result, alert bookkeeping (last alert per kind);
 *  - the calendar (calendar/, sinks/): one record per event written (the
 *    event's fields: type, times, office, texts, SEQUENCE, content hash,
 *    status; and its iCalendar text, the output the sinks deliver, never
 *    read back) and, per sink, the hash of the version it last accepted.
 *    A sink whose hash differs from the event's has a change pending: that
 *    is the queue, so nothing is lost when a sink fails and nothing is
 *    delivered twice once it succeeded.
 *
 * A corrupt file is logged, renamed aside (state.json.corrupt-<time>-<pid>)
 * and replaced by an empty state: the rescan that follows is deduplicated by
 * Message-ID and by event UID, so it creates no duplicate.  In a file that
 * is valid JSON, each record (a folder, an event, ...) is checked for the
 * types and ranges of its members, and an event's UID for the characters
 * a file name and a URL allow (event_uid_valid()); a record that does not
 * fit is not used, with a warning, and kept in
 * state.json.rejected-<time>-<pid>.
 */
#ifndef OFII_STATE_H
#define OFII_STATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/event.h"

#define STATE_MAX_MESSAGE_IDS	2000	/* newest kept */
#define STATE_HASH_LEN		EVENT_HASH_LEN	/* hex SHA-256 */
#define STATE_ETAG_MAX		1024	/* bytes of a CalDAV ETag kept */

/* SHA-256 of data as STATE_HASH_LEN lowercase hex digits (nettle: the
   daemon's TLS stack loads it anyway). */
void	state_hash(const void *data, size_t len, char out[STATE_HASH_LEN + 1]);

enum sink_id {
	SINK_VDIR = 0,
	SINK_FILE,
	SINK_CALDAV,
	SINK_COUNT
};

struct state_folder {
	char		*name;
	uint32_t	 uidvalidity;
	uint32_t	 last_uid;
};

/* A message whose download failed in the last passes (see poll.c). */
struct state_failure {
	char		*folder;
	uint32_t	 uid;
	int		 passes;	/* consecutive passes it failed in */
};

struct state_alert {
	char	*kind;
	time_t	 last;
};

struct state_event {
	struct event	 event;		/* the recorded version (its `changed`
					   is unused) */
	char		 delivered[SINK_COUNT][STATE_HASH_LEN + 1];	/* ""
					   none */
	char		*etag;		/* CalDAV ETag of our last PUT, or NULL */
};

struct state {
	char			*path;		/* where it lives */
	struct state_folder	*folders;
	size_t			 nfolders;
	char			**message_ids;	/* oldest first */
	size_t			 nmessage_ids;
	time_t			 last_poll;	/* 0: never */
	int			 last_poll_ok;
	char			*last_poll_error;	/* or NULL */
	struct state_alert	*alerts;
	size_t			 nalerts;
	struct state_event	*events;
	size_t			 nevents;
	struct state_failure	*failures;	/* one per folder at most */
	size_t			 nfailures;
	char			*sink_target[SINK_COUNT];	/* path/URL the
						   delivered marks refer to */
};

/* $XDG_STATE_HOME/ofii-watch/state.json, ~/.local/state when unset. */
int	state_default_path(char **pathp, char **errstr);

/*
 * Read `path` (NULL: the default).  A missing file gives an empty state; a
 * corrupt one is logged, renamed aside and gives an empty state.  -1 only
 * on I/O errors (the state cannot be trusted then: do not overwrite it).
 */
int	state_load(const char *path, struct state **stp, char **errstr);
/*
 * One ofii-watch at a time per state file: `poll` run by hand while the
 * service runs would read the same state and write the same temporary
 * files, each undoing the other's records (and a rename could publish the
 * other's half-written file).  An exclusive flock() on `path`.lock (NULL:
 * the default), held on *fdp until it is closed or the process dies; the
 * directory is created (0700).  -1 and *errstr when another process holds
 * it, or on errors.
 */
int	state_lock(const char *path, int *fdp, char **errstr);
/* Write atomically to st->path; creates the directory (0700). */
int	state_save(const struct state *, char **errstr);
struct state *state_new(const char *path);	/* empty; NULL on ENOMEM */
void	state_free(struct state *);

/* Folders: 0 and the values, or -1 when the folder is not known. */
int	state_folder_get(const struct state *, const char *folder,
	    uint32_t *uidvalidity, uint32_t *last_uid);
int	state_folder_set(struct state *, const char *folder,
	    uint32_t uidvalidity, uint32_t last_uid);

/*
 * The download of message `uid` of `folder` failed in this pass: the
 * number of passes in a row it has now failed in (1 when it is another
 * message than the folder's last failure), or -1 (out of memory).
 * state_failure_clear(): the folder's downloads work again.
 */
int	state_failure_count(struct state *, const char *folder, uint32_t uid);
void	state_failure_clear(struct state *, const char *folder);

/* Message-IDs processed: 1 when seen. */
int	state_message_seen(const struct state *, const char *message_id);
int	state_message_add(struct state *, const char *message_id);

int	state_poll_set(struct state *, time_t when, int ok, const char *error);

/* Alerts: last time per kind, 0 when never. */
time_t	state_alert_last(const struct state *, const char *kind);
int	state_alert_set(struct state *, const char *kind, time_t when);

/* Events. */
struct state_event *state_event_find(const struct state *, const char *uid);
/* Find or add (zeroed but for uid); NULL on ENOMEM. */
struct state_event *state_event_get(struct state *, const char *uid);
/* The sink has a change of this event to deliver. */
int	state_event_pending(const struct state_event *, enum sink_id);
void	state_event_delivered(struct state_event *, enum sink_id);
/*
 * The sink now writes somewhere else (path or URL changed): forget what it
 * was given, so everything is delivered there.
 */
int	state_sink_target(struct state *, enum sink_id, const char *target);

const char *sink_name(enum sink_id);

#endif

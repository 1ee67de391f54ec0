/*
 * poll: one pass over the mailbox, the heart of `poll` and `run`.
 *
 * For each watched folder (the configured ones, or INBOX and the Junk
 * folder): EXAMINE; unchanged UIDVALIDITY and UIDNEXT end the folder there
 * (an idle pass is one EXAMINE per folder).  Otherwise a server-side UID
 * SEARCH over the new UIDs (the whole range back to validated_on — or 120
 * days — on the first run and after a UIDVALIDITY change) for anything
 * that may be OFII mail; headers and sizes of those; the full body of each
 * candidate not processed before (by Message-ID); understand it; trusted
 * convocations become calendar events, convocation-like mail from anyone
 * else becomes an alert.  Then the timeline events, then the sinks.
 *
 * Crash safety: a message is marked processed (and the folder's last UID
 * advanced) in the same atomic state write as the events it produced, so a
 * crash at any point either redoes a message (same UIDs, same content: no
 * duplicate) or has finished it.  Sinks deliver what the state holds as
 * pending, so nothing written is lost either.
 *
 * The poller owns the IMAP session (kept open between passes) and borrows
 * the configuration and the state.
 */
#ifndef OFII_POLL_H
#define OFII_POLL_H

#include <stdint.h>
#include <time.h>

#include "config/config.h"
#include "imap/session.h"
#include "store/state.h"

struct poller;

struct poll_result {
	unsigned	folders;	/* examined */
	unsigned	unchanged;	/* of which idle */
	unsigned	full_scans;	/* first scans and rescans */
	int		interrupted;	/* stopped early: asked to stop */
	unsigned	candidates;	/* bodies fetched */
	unsigned	convocations;	/* trusted, turned into events */
	unsigned	untrusted;	/* convocation-like, alert only */
	unsigned	events_changed;
	enum imap_error	mailbox_error;	/* IMAP_OK when the mailbox was read */
	uint64_t	wire_bytes;	/* on the connection so far, both ways */
	int		sink_failed;	/* a calendar sink failed (queued) */
};

/* A poller for cfg's account; connects lazily.  NULL + *errstr. */
struct poller *poller_new(const struct config *, struct state *,
	    char **errstr);
void	poller_free(struct poller *);

/*
 * One pass.  0 when the mailbox was read (sinks may still have failed:
 * see result->sink_failed; their changes stay queued), -1 and *errstr
 * when it could not be (result->mailbox_error says why).  The state is
 * saved before returning either way.
 */
int	poller_run(struct poller *, time_t now, struct poll_result *,
	    char **errstr);

/* The IMAP session (for byte counts in benchmarks). */
const struct imap_session *poller_session(const struct poller *);

/*
 * The pass calls keepalive_poll() (lib/keepalive.h) between its steps
 * (each folder, each message) and inside the long ones (a download, the
 * reader): when it asks to stop (a pending SIGTERM), the pass stops
 * there, without counting that against the mail in hand: everything done
 * is already saved, the pass returns 0 with result->interrupted set, and
 * the next one resumes.
 */

#endif

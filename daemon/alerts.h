/*
 * alerts: telling the person, at the right time and once, that something
 * needs them — OFII is late, the visa is not validated yet, the renewal
 * window opens without the medical certificate, a mail looks like phishing,
 * or the convocation was found.
 *
 * Two halves:
 *  - alerts_due(): a pure function of the [visa]/[alerts] settings, "now",
 *    whether a convocation was found, and when each scheduled kind was last
 *    sent (persisted by the caller in the state file, so restarts never
 *    repeat an alert early);
 *  - alert_send(): log it (journald with a stable MESSAGE_ID when under
 *    systemd), run alert_command with OFII_ALERT_KIND/SUMMARY/BODY in its
 *    environment (time-limited; a failure is logged, never fatal), and raise
 *    a desktop notification when notify = desktop and a session bus exists.
 */
#ifndef OFII_ALERTS_H
#define OFII_ALERTS_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "model/convocation.h"
#include "model/reading.h"

enum alert_kind {
	ALERT_LATE = 0,		/* no convocation after alert_after, weekly */
	ALERT_RENEWAL_OPEN,	/* valid_until - 4 months, still nothing */
	ALERT_RENEWAL_LAST,	/* valid_until - 2 months, still nothing */
	ALERT_NOT_VALIDATED,	/* arrival + 3 months near, validated_on unset */
	ALERT_SCHEDULED_COUNT,	/* kinds above are scheduled by alerts_due() */
	ALERT_PHISHING = ALERT_SCHEDULED_COUNT,	/* lookalike sender */
	ALERT_UNVERIFIED,	/* convocation-like, forwarded or unproven */
	ALERT_FOUND,		/* the convocation, with date and place */
	ALERT_UNREADABLE,	/* OFII wrote, no appointment can be read */
	ALERT_KIND_COUNT
};

/* When each scheduled kind was last sent (0: never).  Owned by the caller,
   persisted in the state file. */
struct alert_memory {
	time_t	last[ALERT_SCHEDULED_COUNT];
};

struct alert {
	enum alert_kind	 kind;
	int		 priority;	/* LOG_WARNING, LOG_ERR, LOG_INFO */
	char		 summary[256];	/* one line */
	char		 body[1024];	/* the advice, one paragraph */
};

/* "late", "renewal-open", ...: OFII_ALERT_KIND and the journal field. */
const char	*alert_kind_name(enum alert_kind);

/*
 * The scheduled alerts due at `now` (at most ALERT_SCHEDULED_COUNT are
 * written to out[]).  Thresholds fall at 09:00 local time on their day.
 * `found`: a convocation has been found (silences the waiting alerts).
 */
size_t	alerts_due(const struct config *, time_t now, int found,
	    const struct alert_memory *, struct alert *out);

/* The instant the next scheduled alert falls due, or 0 if none will. */
time_t	alerts_next(const struct config *, time_t now, int found,
	    const struct alert_memory *);

/*
 * The alerts about one mail, written into *a (kind, priority, texts): the
 * caller decides when one is due and sends it.
 *  - untrusted: a convocation-like mail from a sender that is not OFII,
 *    phishing when the domain imitates OFII's, unverified otherwise;
 *  - found: the appointments of a trusted convocation (it has at least
 *    one: conv->nappts > 0);
 *  - unreadable: OFII wrote, but no appointment could be read in the mail
 *    named `label`;
 *  - given_up: the mail `label` failed to download in `passes` passes in a
 *    row (`why`: the last failure, or NULL) and is passed over;
 *  - unread: the candidate `label` was downloaded but the reader could not
 *    read it at all (`why`); `hdr`: what its headers said, or NULL.
 */
void	alert_untrusted_make(struct alert *, const struct mail_facts *,
	    const struct convocation *);
void	alert_found_make(struct alert *, const struct convocation *);
void	alert_unreadable_make(struct alert *, const char *label,
	    const struct mail_facts *);
void	alert_given_up_make(struct alert *, const char *label, int passes,
	    const char *why);
void	alert_unread_make(struct alert *, const char *label,
	    const struct mail_facts *hdr, const char *why);

/* Deliver one alert (log + alert_command + desktop).  Never fails. */
void	alert_send(const struct config *, const struct alert *);

/* Day arithmetic on config dates: the instant of HH:00 local time, `days`
   days / `months` months after the date. */
time_t	alerts_local_time(const struct config_date *, int months, long days,
	    int hour);

#endif

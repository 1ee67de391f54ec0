/*
 * standing: where the person stands, computed from the configuration, the
 * state file and "now", without any network: the visa dates, how long they
 * have waited, the last poll, the convocation found (from the calendar
 * events recorded in the state), the X-ray nudge, the next alert, the
 * renewal window and the calendar deliveries still pending.  Shared by
 * `ofii-watch status` and the daemon's sd_notify STATUS= line.
 */
#ifndef OFII_STANDING_H
#define OFII_STANDING_H

#include <stddef.h>
#include <time.h>

#include "config/config.h"
#include "daemon/alerts.h"
#include "model/event.h"
#include "store/state.h"

#define STANDING_MAX_APPTS	8

/* One appointment as the calendar wrote it (the state's record). */
struct standing_appt {
	enum event_type	 type;		/* medical, cir, xray, xray-booking */
	char	 start_local[20];	/* "YYYY-MM-DD HH:MM", as DTSTART */
	char	 tzid[40];		/* its zone, "UTC" when DTSTART is */
	time_t	 start;			/* UTC instant */
	int	 cancelled;
	char	 summary[256];
	char	 location[512];
};

struct standing {
	time_t			now;
	long			days_waited;	/* since validated_on, or -1 */
	time_t			last_poll;	/* 0: never */
	int			last_poll_ok;
	char			last_poll_error[256];
	struct standing_appt	appts[STANDING_MAX_APPTS];	/* by start */
	size_t			nappts;
	int			found;		/* a live (not cancelled)
						   medical/cir/xray event */
	int			xray_booking;	/* index in appts, or -1 */
	struct alert		due[ALERT_SCHEDULED_COUNT];	/* due now,
						   not sent yet */
	size_t			ndue;
	time_t			next_alert;	/* 0: none scheduled */
	time_t			renewal_opens;	/* 0: valid_until unset */
	time_t			renewal_deadline;
	size_t			pending[SINK_COUNT];	/* events to deliver */
};

/* Fill *s.  st may be NULL (no state yet). */
void	standing_compute(const struct config *, const struct state *st,
	    time_t now, struct standing *s);

/* 1 when the state records a live convocation appointment. */
int	standing_found(const struct state *);

/* One line for sd_notify STATUS= and logs. */
void	standing_oneline(const struct standing *, char *buf, size_t len);

#endif

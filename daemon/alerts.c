/*
 * alerts: see alerts.h.  The wording is English first (most newcomers read
 * it better), with the French names they will meet on the sites and forms.
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "daemon/alerts.h"
#include "lib/child.h"
#include "lib/civil.h"
#include "lib/log.h"
#include "lib/monotonic.h"
#include "model/timeline.h"

#define DAY		86400L
#define ALERT_HOUR	9		/* thresholds fall at 09:00 local */
#define VALIDATION_WARN_DAYS 21		/* start warning this long before */

static const char *const kind_names[ALERT_KIND_COUNT] = {
	"late", "renewal-open", "renewal-last", "not-validated",
	"phishing", "unverified", "found", "unreadable"
};

const char *
alert_kind_name(enum alert_kind k)
{
	return (unsigned)k < ALERT_KIND_COUNT ? kind_names[k] : "unknown";
}

static const char *
kind_msgid(enum alert_kind k)
{
	switch (k) {
	case ALERT_LATE:
		return MSGID_NO_CONVOCATION;
	case ALERT_RENEWAL_OPEN:
	case ALERT_RENEWAL_LAST:
		return MSGID_RENEWAL;
	case ALERT_NOT_VALIDATED:
		return MSGID_NOT_VALIDATED;
	case ALERT_PHISHING:
	case ALERT_UNVERIFIED:
		return MSGID_UNTRUSTED_SENDER;
	case ALERT_UNREADABLE:
		return MSGID_CALENDAR_FAILURE;
	default:
		return MSGID_CONVOCATION_FOUND;
	}
}

time_t
alerts_local_time(const struct config_date *d, int months, long days,
    int hour)
{
	struct civil_date c = { d->year, d->month, d->day };

	/* 31 March - 1 month is the last day of February, not 3 March. */
	return civil_local_time(civil_add_days(civil_add_months(c, months),
	    days), hour);
}

static void
format_date(char *buf, size_t len, time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d", &tm);
}

static long
days_between(time_t from, time_t to)
{
	return (long)((to - from) / DAY);
}

/* When the "late" alert first falls due, or 0 without validated_on. */
static time_t
late_threshold(const struct config *cfg)
{
	if (cfg->validated_on.year == 0)
		return 0;
	return civil_local_time(timeline_after_validation(&cfg->validated_on,
	    cfg->alert_after), ALERT_HOUR) + cfg->alert_after % DAY;
}

/*
 * The next instant kind k is due at or after its threshold, given when it
 * was last sent; 0 when it will not be due (not applicable, one-shot
 * already sent).
 */
static time_t
next_due(const struct config *cfg, time_t now, int found,
    const struct alert_memory *mem, enum alert_kind k)
{
	time_t t, last = mem->last[k];

	switch (k) {
	case ALERT_LATE:
		if (found || (t = late_threshold(cfg)) == 0)
			return 0;
		if (last != 0 && last + cfg->alert_every > t)
			t = last + cfg->alert_every;
		return t;
	case ALERT_RENEWAL_OPEN:
	case ALERT_RENEWAL_LAST:
		if (found || cfg->valid_until.year == 0 || last != 0)
			return 0;
		/* Once the last reminder is due, the first says nothing new. */
		if (k == ALERT_RENEWAL_OPEN && now >= civil_local_time(
		    timeline_renewal_deadline(&cfg->valid_until), ALERT_HOUR))
			return 0;
		return civil_local_time(k == ALERT_RENEWAL_OPEN ?
		    timeline_renewal_opens(&cfg->valid_until) :
		    timeline_renewal_deadline(&cfg->valid_until), ALERT_HOUR);
	case ALERT_NOT_VALIDATED:
		if (cfg->validated_on.year != 0 || cfg->arrival.year == 0)
			return 0;
		t = civil_local_time(civil_add_days(
		    timeline_validation_deadline(&cfg->arrival),
		    -VALIDATION_WARN_DAYS), ALERT_HOUR);
		if (last != 0 && last + cfg->alert_every > t)
			t = last + cfg->alert_every;
		return t;
	default:
		return 0;
	}
}

static void
make_late(const struct config *cfg, time_t now, struct alert *a)
{
	time_t validated = alerts_local_time(&cfg->validated_on, 0, 0, 0);

	a->priority = LOG_WARNING;
	snprintf(a->summary, sizeof(a->summary), "No OFII convocation yet, "
	    "%ld days after you validated your visa", days_between(validated,
	    now));
	snprintf(a->body, sizeof(a->body), "OFII usually writes within 2 to "
	    "8 weeks; after 45 days OFII itself advises writing to them. "
	    "1) Look in your Junk/Spam folder and in your account on the ANEF "
	    "site (administration-etrangers-en-france.interieur.gouv.fr). "
	    "2) Write to your OFII Direction territoriale through the \"Nous "
	    "contacter\" form of ofii.fr, with your visa number and the date "
	    "you validated it (%04d-%02d-%02d). 3) Keep a copy of your "
	    "message as proof. ofii-watch keeps watching and will remind you "
	    "every %ld days.", cfg->validated_on.year, cfg->validated_on.month,
	    cfg->validated_on.day, cfg->alert_every / DAY ? cfg->alert_every /
	    DAY : 1);
}

static void
make_renewal(const struct config *cfg, enum alert_kind k, struct alert *a)
{
	char until[16];
	time_t expiry = alerts_local_time(&cfg->valid_until, 0, 0, 12);

	format_date(until, sizeof(until), expiry);
	a->priority = LOG_ERR;
	if (k == ALERT_RENEWAL_OPEN)
		snprintf(a->summary, sizeof(a->summary), "Renewal window open "
		    "(visa valid until %s) and still no OFII convocation",
		    until);
	else
		snprintf(a->summary, sizeof(a->summary), "Two months before "
		    "your visa expires (%s): apply for the renewal now", until);
	snprintf(a->body, sizeof(a->body), "Apply for your residence permit "
	    "(titre de séjour) on the ANEF site now, even without the OFII "
	    "medical certificate: say in the application that you validated "
	    "your visa%s and that OFII has not convoked you yet, and attach "
	    "proof that you wrote to OFII. Keep writing to your OFII "
	    "Direction territoriale (\"Nous contacter\" on ofii.fr).",
	    cfg->validated_on.year ? " in time" : "");
}

static void
make_not_validated(const struct config *cfg, time_t now, struct alert *a)
{
	char deadline[16];
	time_t dl = civil_local_time(timeline_validation_deadline(
	    &cfg->arrival), 23);

	format_date(deadline, sizeof(deadline), dl);
	a->priority = now > dl ? LOG_ERR : LOG_WARNING;
	if (now > dl)
		snprintf(a->summary, sizeof(a->summary), "Visa validation "
		    "deadline passed on %s (3 months after arrival)", deadline);
	else
		snprintf(a->summary, sizeof(a->summary), "Validate your visa "
		    "before %s (3 months after arrival)", deadline);
	snprintf(a->body, sizeof(a->body), "Validate your long-stay visa "
	    "(VLS-TS) on the ANEF site (administration-etrangers-en-france."
	    "interieur.gouv.fr) and pay the tax stamp (timbre fiscal). Then "
	    "set validated_on in the [visa] section of the ofii-watch "
	    "configuration, so it can watch for the OFII convocation.");
}

size_t
alerts_due(const struct config *cfg, time_t now, int found,
    const struct alert_memory *mem, struct alert *out)
{
	size_t n = 0;
	int k;

	for (k = 0; k < ALERT_SCHEDULED_COUNT; k++) {
		time_t t = next_due(cfg, now, found, mem, (enum alert_kind)k);

		if (t == 0 || now < t)
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		out[n].kind = (enum alert_kind)k;
		switch (k) {
		case ALERT_LATE:
			make_late(cfg, now, &out[n]);
			break;
		case ALERT_RENEWAL_OPEN:
		case ALERT_RENEWAL_LAST:
			make_renewal(cfg, (enum alert_kind)k, &out[n]);
			break;
		case ALERT_NOT_VALIDATED:
			make_not_validated(cfg, now, &out[n]);
			break;
		}
		n++;
	}
	return n;
}

time_t
alerts_next(const struct config *cfg, time_t now, int found,
    const struct alert_memory *mem)
{
	time_t best = 0;
	int k;

	for (k = 0; k < ALERT_SCHEDULED_COUNT; k++) {
		time_t t = next_due(cfg, now, found, mem, (enum alert_kind)k);

		if (t != 0 && t > now && (best == 0 || t < best))
			best = t;
	}
	return best;
}

/* ------------------------------------------------- alerts about one mail */

void
alert_untrusted_make(struct alert *a, const struct mail_facts *msg,
    const struct convocation *conv)
{
	const char *domain = strchr(msg->from_addr, '@');

	memset(a, 0, sizeof(*a));
	domain = domain ? domain + 1 : msg->from_addr;
	a->priority = LOG_WARNING;
	if (strstr(domain, "ofii") != NULL || strstr(domain, "0fii") != NULL) {
		a->kind = ALERT_PHISHING;
		snprintf(a->summary, sizeof(a->summary), "Looks like phishing: "
		    "a \"%s\" mail from %s, which is not OFII (ofii.fr)",
		    conv_kind_name(conv->kind), domain);
		snprintf(a->body, sizeof(a->body), "The mail \"%s\" imitates "
		    "OFII from the domain %s. OFII writes from ofii.fr only "
		    "and never asks for a payment by mail. Do not click its "
		    "links or pay anything; check your convocation in your "
		    "ANEF account or with your OFII Direction territoriale. "
		    "No calendar event was created.", msg->subject, domain);
	} else {
		a->kind = ALERT_UNVERIFIED;
		snprintf(a->summary, sizeof(a->summary), "Unverified \"%s\" "
		    "mail from %s: no calendar event",
		    conv_kind_name(conv->kind), msg->from_addr);
		snprintf(a->body, sizeof(a->body), "The mail \"%s\" looks like "
		    "an OFII %s, but it does not come from OFII (it may be "
		    "forwarded). If you forwarded it yourself from another "
		    "address, add %s to trusted_forwarders in [account]; "
		    "otherwise check it in your ANEF account.", msg->subject,
		    conv_kind_name(conv->kind), msg->from_addr);
	}
}

void
alert_found_make(struct alert *a, const struct convocation *conv)
{
	static const char *const what[] = { "medical visit", "CIR day",
	    "chest X-ray" };
	const struct appointment *ap;
	size_t i, o = 0;

	memset(a, 0, sizeof(*a));
	a->kind = ALERT_FOUND;
	a->priority = LOG_INFO;
	ap = &conv->appts[0];
	snprintf(a->summary, sizeof(a->summary), "OFII %s: %s on "
	    "%04d-%02d-%02d at %02d:%02d (%s)", conv->kind ==
	    KIND_CANCELLATION ? "cancellation" : conv->kind ==
	    KIND_RESCHEDULE ? "new date" : "convocation found",
	    what[ap->type], ap->start.year, ap->start.month, ap->start.day,
	    ap->start.hour, ap->start.minute, ap->tzid);
	for (i = 0; i < conv->nappts && o < sizeof(a->body) - 1; i++) {
		ap = &conv->appts[i];
		o += (size_t)snprintf(a->body + o, sizeof(a->body) - o, "%s%s "
		    "%04d-%02d-%02d %02d:%02d, %s.", i ? " " : "",
		    what[ap->type], ap->start.year, ap->start.month,
		    ap->start.day, ap->start.hour, ap->start.minute,
		    ap->place ? ap->place : "place not found: see the letter");
	}
	if (conv->xray != NULL && o < sizeof(a->body) - 1)
		snprintf(a->body + o, sizeof(a->body) - o, " Book the chest "
		    "X-ray now: %s%s%s.", conv->xray->name ? conv->xray->name :
		    "the radiology centre", conv->xray->phone ? ", tel. " : "",
		    conv->xray->phone ? conv->xray->phone : "");
}

void
alert_unreadable_make(struct alert *a, const char *label,
    const struct mail_facts *msg)
{
	memset(a, 0, sizeof(*a));
	a->kind = ALERT_UNREADABLE;
	a->priority = LOG_ERR;
	snprintf(a->summary, sizeof(a->summary), "A mail from OFII gives no "
	    "appointment ofii-watch can read%s", msg->unreadable_pdfs > 0 ?
	    " (its PDF attachment could not be read)" :
	    msg->skipped_parts > 0 ? " (an attachment too large to be read)" :
	    "");
	snprintf(a->body, sizeof(a->body), "The mail %s, \"%s\" from %s, may "
	    "be your convocation: open it yourself (or your ANEF account) and "
	    "put the date in your calendar.", label, msg->subject,
	    msg->from_addr);
}

void
alert_given_up_make(struct alert *a, const char *label, int passes,
    const char *why)
{
	memset(a, 0, sizeof(*a));
	a->kind = ALERT_UNREADABLE;
	a->priority = LOG_ERR;
	snprintf(a->summary, sizeof(a->summary), "A mail that may be from OFII "
	    "could not be downloaded in %d passes in a row", passes);
	snprintf(a->body, sizeof(a->body), "The mail %s (%s) is passed over so "
	    "that the mail after it is read: open it in your mail client.",
	    label, why ? why : "?");
}

void
alert_unread_make(struct alert *a, const char *label,
    const struct mail_facts *hdr, const char *why)
{
	memset(a, 0, sizeof(*a));
	a->kind = ALERT_UNREADABLE;
	a->priority = LOG_ERR;
	snprintf(a->summary, sizeof(a->summary), "A mail that may be from OFII "
	    "could not be read");
	if (hdr != NULL)
		snprintf(a->body, sizeof(a->body), "The mail %s, \"%s\" from "
		    "%s, could not be read (%s): open it in your mail client, "
		    "or save it and run 'ofii-watch -v parse' on it.", label,
		    hdr->subject, hdr->from_addr, why ? why : "?");
	else
		snprintf(a->body, sizeof(a->body), "The mail %s could not be "
		    "read (%s): open it in your mail client, or save it and "
		    "run 'ofii-watch -v parse' on it.", label, why ? why : "?");
}

/* ------------------------------------------------------------- delivery */


/*
 * alert_command through /bin/sh, the alert in its environment, stdout and
 * stderr into ours (the journal under systemd), killed with its whole
 * process group after the timeout.
 */
static void
run_alert_command(const struct config *cfg, const struct alert *a)
{
	long deadline = monotonic_ms() + cfg->timeout * 1000;
	int status;
	pid_t pid;

	if ((pid = fork()) == -1) {
		log_warn("alert_command: fork");
		return;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);

		setpgid(0, 0);
		if (devnull == -1 || dup2(devnull, STDIN_FILENO) == -1 ||
		    dup2(STDERR_FILENO, STDOUT_FILENO) == -1)
			_exit(127);
		/* Not the mailbox's socket, nor anything else of ours. */
		child_close_fds();
		setenv("OFII_ALERT_KIND", alert_kind_name(a->kind), 1);
		setenv("OFII_ALERT_SUMMARY", a->summary, 1);
		setenv("OFII_ALERT_BODY", a->body, 1);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cfg->alert_command, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	switch (child_wait(pid, deadline, &status)) {
	case -1:
		log_warn("alert_command: waitpid");
		return;
	case 1:
		log_warnx("alert_command did not finish within %ld s and was "
		    "killed", cfg->timeout);
		return;
	}
	if (WIFSIGNALED(status))
		log_warnx("alert_command was killed by signal %d",
		    WTERMSIG(status));
	else if (WEXITSTATUS(status) != 0)
		log_warnx("alert_command failed (exit status %d)",
		    WEXITSTATUS(status));
}

/*
 * Whether the notification server reads the body as markup (the
 * "body-markup" capability of the Desktop Notifications spec).  When it
 * cannot say, it is taken to: an escaped body shown raw is only ugly, a
 * hostile one rendered is a link or an image from a phishing mail.
 */
static int
body_is_markup(sd_bus *bus)
{
	sd_bus_message *reply = NULL;
	const char *cap;
	int r, markup = 0;

	if (sd_bus_call_method(bus, "org.freedesktop.Notifications",
	    "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
	    "GetCapabilities", NULL, &reply, "") < 0 ||
	    sd_bus_message_enter_container(reply, 'a', "s") < 0) {
		sd_bus_message_unref(reply);
		return 1;
	}
	while ((r = sd_bus_message_read(reply, "s", &cap)) > 0)
		if (strcmp(cap, "body-markup") == 0)
			markup = 1;
	sd_bus_message_unref(reply);
	return r < 0 ? 1 : markup;
}

/*
 * The body as text in the spec's markup: the mail's subject, sender and
 * places are the sender's words, so "<a href=...>", "<img src=...>" and
 * "&" are shown, never interpreted.
 */
static void
markup_escape(const char *in, char *out, size_t len)
{
	size_t o = 0;

	for (; *in != '\0'; in++) {
		const char *rep = *in == '&' ? "&amp;" : *in == '<' ? "&lt;" :
		    *in == '>' ? "&gt;" : *in == '"' ? "&quot;" :
		    *in == '\'' ? "&apos;" : NULL;
		size_t n = rep ? strlen(rep) : 1;

		if (o + n >= len)
			break;
		if (rep != NULL)
			memcpy(out + o, rep, n);
		else
			out[o] = *in;
		o += n;
	}
	out[o] = '\0';
}

/* org.freedesktop.Notifications over the session bus, if there is one. */
static void
notify_desktop(const struct alert *a)
{
	sd_bus_error error = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	sd_bus *bus = NULL;
	char body[6 * sizeof(a->body)];
	int r;

	if ((r = sd_bus_open_user(&bus)) < 0) {
		log_debug("desktop notification: no session bus (%s)",
		    strerror(-r));
		return;
	}
	sd_bus_set_method_call_timeout(bus, 5 * 1000 * 1000);
	if (body_is_markup(bus))
		markup_escape(a->body, body, sizeof(body));
	else
		snprintf(body, sizeof(body), "%s", a->body);
	r = sd_bus_call_method(bus, "org.freedesktop.Notifications",
	    "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
	    "Notify", &error, &reply, "susssasa{sv}i", "ofii-watch", 0,
	    a->priority <= LOG_WARNING ? "dialog-warning" :
	    "dialog-information", a->summary, body, 0, 0, -1);
	if (r < 0)
		log_warnx("desktop notification failed: %s",
		    error.message ? error.message : strerror(-r));
	sd_bus_error_free(&error);
	sd_bus_message_unref(reply);
	sd_bus_flush_close_unref(bus);
}

void
alert_send(const struct config *cfg, const struct alert *a)
{
	log_alert(a->priority, kind_msgid(a->kind), alert_kind_name(a->kind),
	    "%s. %s", a->summary, a->body);
	if (cfg->alert_command != NULL)
		run_alert_command(cfg, a);
	if (cfg->notify == NOTIFY_DESKTOP)
		notify_desktop(a);
}

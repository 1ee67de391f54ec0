/*
 * loop: the `run` daemon and the one-shot `poll`.
 *
 * `run` is one loop that sleeps in ppoll() until the next deadline (the
 * next poll, the next watchdog ping), with the signals it handles blocked
 * everywhere else, so none is lost between a check and the sleep.  Signal
 * handlers only set flags.  The loop owns the configuration after a
 * reload (SIGHUP), the state, and the poller.
 *
 * Failures of the mailbox back off exponentially with jitter (capped at 30
 * minutes), are logged once per streak and once at recovery, and never end
 * the daemon.  systemd gets READY=1, STATUS=, WATCHDOG=1 (at half of
 * WATCHDOG_USEC), RELOADING=1 and STOPPING=1.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "daemon/commands.h"
#include "daemon/poll.h"
#include "daemon/reader.h"
#include "daemon/standing.h"
#include "lib/clock.h"
#include "lib/keepalive.h"
#include "lib/log.h"
#include "lib/monotonic.h"

#define BACKOFF_CAP	(30 * 60)	/* seconds */
#define BACKOFF_BASE	60

static volatile sig_atomic_t	got_term, got_hup, got_usr1;

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		got_term = 1;
		break;
	case SIGHUP:
		got_hup = 1;
		break;
	case SIGUSR1:
		got_usr1 = 1;
		break;
	}
}

/* `seconds` scaled by a random factor in [1 - f, 1 + f]. */
static uint64_t
jitter_ms(long seconds, double f)
{
	double r = (double)random() / (double)RAND_MAX;

	return (uint64_t)((double)seconds * 1000.0 * (1.0 - f + 2.0 * f * r));
}

static uint64_t
backoff_ms(const struct config *cfg, unsigned failures)
{
	long base = cfg->poll_interval < BACKOFF_BASE ? cfg->poll_interval :
	    BACKOFF_BASE, d = base;
	unsigned i;

	for (i = 1; i < failures && d < BACKOFF_CAP; i++)
		d *= 2;
	if (d > BACKOFF_CAP)
		d = BACKOFF_CAP;
	return jitter_ms(d, 0.2);
}

struct daemon {
	struct config	*cfg;		/* owned: replaced on reload */
	struct state	*st;
	struct poller	*poller;
	uint64_t	 watchdog_ms;	/* 0: no watchdog */
	uint64_t	 next_watchdog;
	unsigned	 failures;	/* current failure streak */
};

/*
 * Between the steps of a pass: feed the watchdog, and say whether SIGTERM
 * or SIGINT is waiting (signals are blocked outside the sleep, so they
 * are pending, not delivered): the pass then stops at its next safe point.
 */
static int
watchdog(void *arg)
{
	struct daemon *d = arg;
	uint64_t now = (uint64_t)monotonic_ms();
	sigset_t pending;

	if (d->watchdog_ms != 0 && now >= d->next_watchdog) {
		sd_notify(0, "WATCHDOG=1");
		d->next_watchdog = now + d->watchdog_ms;
	}
	if (sigpending(&pending) == 0 && (sigismember(&pending, SIGTERM) == 1 ||
	    sigismember(&pending, SIGINT) == 1))
		return 1;
	return got_term;
}

static void
notify_status(struct daemon *d)
{
	struct standing s;
	char line[300];

	standing_compute(d->cfg, d->st, clock_now(), &s);
	standing_oneline(&s, line, sizeof(line));
	sd_notifyf(0, "STATUS=%s", line);
}

/* One pass; the schedule of the next one. */
static uint64_t
do_poll(struct daemon *d)
{
	struct poll_result r;
	char *err = NULL;

	if (poller_run(d->poller, clock_now(), &r, &err) == 0) {
		if (d->failures > 0)
			log_info("mailbox reachable again after %u failed "
			    "attempt(s)", d->failures);
		d->failures = 0;
		log_debug("poll: %u folder(s), %u unchanged, %u fetched, "
		    "%u convocation(s), %u event change(s)", r.folders,
		    r.unchanged, r.candidates, r.convocations,
		    r.events_changed);
		notify_status(d);
		return (uint64_t)monotonic_ms() + jitter_ms(d->cfg->poll_interval, 0.1);
	}
	d->failures++;
	/* Once per streak: a dead network for a week is one line, not 300. */
	if (d->failures == 1 && r.mailbox_error != IMAP_OK)
		log_alert(LOG_WARNING, MSGID_MAILBOX_FAILURE, "mailbox",
		    "mailbox: %s (%s); retrying with backoff",
		    err ? err : "failed", imap_error_name(r.mailbox_error));
	else if (d->failures == 1)
		log_errx("%s; retrying with backoff", err ? err : "failed");
	else
		log_debug("mailbox: still failing (%u): %s", d->failures,
		    err ? err : "failed");
	free(err);
	notify_status(d);
	return (uint64_t)monotonic_ms() + backoff_ms(d->cfg, d->failures);
}

/* SIGHUP: a bad new configuration keeps the old one running. */
static void
reload(struct daemon *d)
{
	struct config_errors errs = { NULL, 0 };
	struct config *fresh = calloc(1, sizeof(*fresh));
	struct poller *p = NULL;
	char *err = NULL;
	size_t i;

	sd_notify(0, "RELOADING=1");
	if (fresh == NULL) {
		log_errx("reload: out of memory; keeping the running "
		    "configuration");
		sd_notify(0, "READY=1");
		return;
	}
	if (config_load(d->cfg->path, 1, fresh, &errs) == -1 ||
	    config_check_account(fresh, &errs) == -1 ||
	    (p = poller_new(fresh, d->st, &err)) == NULL) {
		for (i = 0; i < errs.n; i++)
			log_errx("%s", errs.msg[i]);
		if (err != NULL)
			log_errx("%s", err);
		log_errx("reload: %s has errors; keeping the running "
		    "configuration", d->cfg->path);
		config_errors_clear(&errs);
		free(err);
		config_clear(fresh);
		free(fresh);
		sd_notify(0, "READY=1");
		return;
	}
	poller_free(d->poller);
	config_clear(d->cfg);
	free(d->cfg);
	d->cfg = fresh;
	d->poller = p;
	d->failures = 0;
	log_info("configuration reloaded from %s", d->cfg->path);
	sd_notify(0, "READY=1");
	notify_status(d);
}

/* The state, locked against a second ofii-watch until *lockfd is closed. */
static int
load_state(struct state **stp, int *lockfd)
{
	char *err = NULL;

	if (state_lock(NULL, lockfd, &err) == -1) {
		log_errx("state: %s", err ? err : "cannot lock it");
		free(err);
		return -1;
	}
	if (state_load(NULL, stp, &err) == -1) {
		log_errx("state: %s", err ? err : "cannot read it");
		free(err);
		close(*lockfd);
		*lockfd = -1;
		return -1;
	}
	return 0;
}

/* A config the daemon owns (main.c frees its own): read it again. */
static struct config *
copy_config(const struct config *cfg)
{
	struct config_errors errs = { NULL, 0 };
	struct config *out = calloc(1, sizeof(*out));
	size_t i;

	if (out == NULL)
		return NULL;
	if (config_load(cfg->path, 1, out, &errs) == 0)
		return out;
	for (i = 0; i < errs.n; i++)
		log_errx("%s", errs.msg[i]);
	config_errors_clear(&errs);
	config_clear(out);
	free(out);
	return NULL;
}

static void
free_config(struct config *cfg)
{
	config_clear(cfg);
	free(cfg);
}

int
run_main(const struct config *cfg, int argc, char **argv)
{
	struct daemon d;
	struct sigaction sa;
	sigset_t handled, during_wait;
	uint64_t next_poll, usec = 0;
	char *err = NULL;
	int lockfd = -1;

	if (argc > 1) {
		fprintf(stderr, "run: unexpected argument '%s'\n", argv[1]);
		return EXIT_USAGE;
	}
	memset(&d, 0, sizeof(d));
	if ((d.cfg = copy_config(cfg)) == NULL)
		return EXIT_USAGE;
	if (load_state(&d.st, &lockfd) == -1) {
		free_config(d.cfg);
		return EXIT_RUNTIME;
	}
	if ((d.poller = poller_new(d.cfg, d.st, &err)) == NULL) {
		log_errx("%s", err ? err : "out of memory");
		free(err);
		state_free(d.st);
		free_config(d.cfg);
		close(lockfd);
		return EXIT_RUNTIME;
	}
	srandom((unsigned)time(NULL) ^ (unsigned)getpid());

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&handled);
	sigaddset(&handled, SIGTERM);
	sigaddset(&handled, SIGINT);
	sigaddset(&handled, SIGHUP);
	sigaddset(&handled, SIGUSR1);
	sigprocmask(SIG_BLOCK, &handled, &during_wait);
	sigdelset(&during_wait, SIGTERM);
	sigdelset(&during_wait, SIGINT);
	sigdelset(&during_wait, SIGHUP);
	sigdelset(&during_wait, SIGUSR1);

	if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
		d.watchdog_ms = usec / 2000;
	if (d.cfg->insecure)
		log_warnx("insecure = yes: no TLS and no certificate check; "
		    "for tests on 127.0.0.1 only");
	log_alert(LOG_INFO, MSGID_STARTUP, "startup", "ofii-watch %s watching "
	    "%s as %s every %lds", VERSION, d.cfg->url, d.cfg->user,
	    d.cfg->poll_interval);
	{
		const char *reader;
		char *rerr = NULL;

		/* Not fatal (nothing is marked read while it fails), but
		   said at once rather than when OFII writes. */
		if (reader_check(d.cfg, &reader, &rerr) == -1)
			log_errx("mail reader: %s: mail cannot be read until "
			    "this is fixed (none is lost meanwhile)", rerr ?
			    rerr : "out of memory");
		free(rerr);
	}
	sd_notify(0, "READY=1\nSTATUS=Starting: first look at the mailbox");
	/* From now on the watchdog is fed inside long steps too. */
	keepalive_set(watchdog, &d);
	next_poll = (uint64_t)monotonic_ms();

	while (!got_term) {
		struct timespec ts;
		uint64_t now, wake;

		if (got_hup) {
			got_hup = 0;
			reload(&d);
			next_poll = (uint64_t)monotonic_ms();
		}
		if (got_usr1) {
			got_usr1 = 0;
			log_info("SIGUSR1: polling now");
			next_poll = (uint64_t)monotonic_ms();
		}
		if ((uint64_t)monotonic_ms() >= next_poll)
			next_poll = do_poll(&d);
		watchdog(&d);
		if (got_term || got_hup || got_usr1)
			continue;
		now = (uint64_t)monotonic_ms();
		wake = next_poll;
		if (d.watchdog_ms != 0 && d.next_watchdog < wake)
			wake = d.next_watchdog;
		wake = wake > now ? wake - now : 0;
		ts.tv_sec = (time_t)(wake / 1000);
		ts.tv_nsec = (long)(wake % 1000) * 1000000;
		/* Signals are only delivered here: none is lost. */
		if (ppoll(NULL, 0, &ts, &during_wait) == -1 && errno != EINTR)
			log_warn("ppoll");
	}
	keepalive_set(NULL, NULL);
	sd_notify(0, "STOPPING=1\nSTATUS=Stopping");
	log_info("stopping (signal received)");
	if (state_save(d.st, &err) == -1) {
		log_errx("saving the state: %s", err ? err : "?");
		free(err);
	}
	poller_free(d.poller);
	state_free(d.st);
	free_config(d.cfg);
	close(lockfd);
	return EXIT_OK;
}

int
poll_main(const struct config *cfg, int argc, char **argv)
{
	struct poll_result r;
	struct poller *p;
	struct state *st;
	char *err = NULL;
	int rc, lockfd = -1;

	if (argc > 1) {
		fprintf(stderr, "poll: unexpected argument '%s'\n", argv[1]);
		return EXIT_USAGE;
	}
	if (cfg->insecure)
		log_warnx("insecure = yes: no TLS and no certificate check; "
		    "for tests on 127.0.0.1 only");
	if (load_state(&st, &lockfd) == -1)
		return EXIT_RUNTIME;
	if ((p = poller_new(cfg, st, &err)) == NULL) {
		log_errx("%s", err ? err : "out of memory");
		free(err);
		state_free(st);
		close(lockfd);
		return EXIT_RUNTIME;
	}
	rc = poller_run(p, clock_now(), &r, &err);
	if (rc == -1) {
		/* IMAP_OK: the mailbox was read, something local failed. */
		log_errx("%s%s", r.mailbox_error != IMAP_OK ? "mailbox: " : "",
		    err ? err : "failed");
		free(err);
	} else
		log_info("poll: %u folder(s) (%u unchanged), %u mail(s) read, "
		    "%u convocation(s), %u untrusted, %u calendar change(s)%s",
		    r.folders, r.unchanged, r.candidates, r.convocations,
		    r.untrusted, r.events_changed, r.sink_failed ?
		    "; a calendar delivery failed and is queued" : "");
	poller_free(p);
	state_free(st);
	close(lockfd);
	return rc == 0 ? EXIT_OK : EXIT_RUNTIME;
}

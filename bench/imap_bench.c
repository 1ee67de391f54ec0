/*
 * imap_bench: what watching a mailbox costs, measured on a real server.
 *
 *   build/bench/imap_bench CONFIG LABEL DAEMON
 *
 * With the account of CONFIG (a mailbox seeded by bench/run.sh) and a
 * fresh state file ($XDG_STATE_HOME):
 *   1. first scan: one poller_run() from nothing (back to validated_on):
 *      wall time, and our CPU time (ours and the reader's) within it;
 *   2. idle poll: 20 more passes with nothing new: bytes on the wire (TCP
 *      payload both ways, TLS included, from the kernel) and wall time,
 *      per pass (median);
 *   3. the daemon itself (DAEMON, build/ofii-watch) as the service runs
 *      it, `ofii-watch run`, 3 s after it started (connected, one idle
 *      pass done): peak RSS and its own memory (RssAnon), from /proc;
 *   4. the naive approach for comparison: UID SEARCH ALL and the From and
 *      Subject of every message, on a new connection.
 * One line per figure, "LABEL name value unit", for bench/run.sh to tabulate.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <signal.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "config/config.h"
#include "daemon/poll.h"
#include "imap/session.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "store/state.h"

#define IDLE_PASSES	20

/* VmHWM and RssAnon (KiB) of `daemon -q -c config run` 3 s after its
   start, then SIGTERM. */
static int
daemon_rss(const char *daemon, const char *config, long *hwm, long *anon)
{
	char path[64], line[256];
	int status;
	FILE *f;
	pid_t pid;

	*hwm = *anon = -1;
	fflush(NULL);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		execl(daemon, "ofii-watch", "-q", "-c", config, "run",
		    (char *)NULL);
		_exit(127);
	}
	sleep(3);
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL)
			if (sscanf(line, "VmHWM: %ld", hwm) != 1)
				sscanf(line, "RssAnon: %ld", anon);
		fclose(f);
	}
	kill(pid, SIGTERM);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return *hwm > 0 && *anon > 0 ? 0 : -1;
}

/* CPU seconds used by this process and the children it waited for (the
   reader): what the first scan costs on our side, the rest of its time
   being the server's. */
static double
cpu_s(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec +
	    kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
	    (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec +
	    kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6;
}

static uint64_t
wire(const struct imap_session *s)
{
	uint64_t in = 0, out = 0;

	if (imap_wire_bytes(s, &in, &out) == -1)
		return 0;
	return in + out;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
die(const char *what, char *err)
{
	fprintf(stderr, "imap_bench: %s: %s\n", what, err ? err : "failed");
	exit(1);
}

/* UID SEARCH ALL + From/Subject of every message. */
static void
naive(const struct config *cfg, const char *label)
{
	struct imap_criteria all;
	struct imap_mailbox mb;
	struct imap_session *s;
	uint32_t *uids = NULL;
	size_t n = 0;
	char *err = NULL;
	double t0 = now_s(), t;

	if ((s = imap_open(cfg, &err)) == NULL)
		die("naive: open", err);
	if (imap_examine(s, "INBOX", &mb, &err) == -1)
		die("naive: examine", err);
	memset(&all, 0, sizeof(all));
	/* UID SEARCH ALL, in windows: one reply for 100,000 UIDs is larger
	   than libcurl accepts. */
	for (all.uid_min = 1; all.uid_min < mb.uidnext;) {
		struct imap_uids u = { NULL, 0, 0 };

		all.uid_max = all.uid_min + 9999;
		if (imap_uid_search(s, &all, &u, &err) == -1)
			die("naive: search", err);
		uids = realloc(uids, (n + u.n) * sizeof(*uids));
		if (u.n > 0)
			memcpy(uids + n, u.v, u.n * sizeof(*uids));
		n += u.n;
		all.uid_min = u.truncated && u.n > 0 ? u.v[u.n - 1] + 1 :
		    all.uid_max + 1;
		imap_uids_free(&u);
	}
	{
		struct imap_msginfos infos = { NULL, 0 };

		if (imap_fetch_headers(s, uids, n, &infos, &err) == -1)
			die("naive: fetch", err);
		imap_msginfos_free(&infos);
	}
	t = now_s() - t0;
	printf("%s naive_scan_time %.3f s\n", label, t);
	printf("%s naive_scan_bytes %llu B\n", label,
	    (unsigned long long)wire(s));
	printf("%s naive_messages %zu msgs\n", label, n);
	free(uids);
	imap_close(s);
}

int
main(int argc, char *argv[])
{
	struct config_errors errs = { NULL, 0 };
	struct config cfg;
	struct poll_result r;
	struct poller *p;
	struct state *st;
	double times[IDLE_PASSES], bytes[IDLE_PASSES], t0, cpu0;
	uint64_t before;
	long hwm, anon;
	char *err = NULL;
	int i;

	if (argc != 4) {
		fprintf(stderr, "usage: imap_bench CONFIG LABEL DAEMON\n");
		return 2;
	}
	log_init("imap_bench", LOG_ERR);
	if (clock_init(&err) == -1)
		die("clock", err);
	if (config_load(argv[1], 1, &cfg, &errs) == -1)
		die("config", errs.n ? errs.msg[0] : NULL);
	if (state_load(NULL, &st, &err) == -1)
		die("state", err);
	if ((p = poller_new(&cfg, st, &err)) == NULL)
		die("poller", err);

	cpu0 = cpu_s();
	t0 = now_s();
	if (poller_run(p, clock_now(), &r, &err) == -1)
		die("first scan", err);
	printf("%s first_scan_time %.3f s\n", argv[2], now_s() - t0);
	printf("%s first_scan_cpu %.3f s\n", argv[2], cpu_s() - cpu0);
	printf("%s first_scan_bytes %llu B\n", argv[2],
	    (unsigned long long)r.wire_bytes);
	printf("%s first_scan_candidates %u msgs\n", argv[2], r.candidates);

	/*
	 * The daemon logs out after a full scan (daemon/poll.c says why):
	 * the idle polls run on a new session, as its next pass would.
	 */
	poller_free(p);
	if ((p = poller_new(&cfg, st, &err)) == NULL)
		die("poller", err);
	if (poller_run(p, clock_now(), &r, &err) == -1)	/* connects */
		die("idle poll", err);
	for (i = 0; i < IDLE_PASSES; i++) {
		before = wire(poller_session(p));
		t0 = now_s();
		if (poller_run(p, clock_now(), &r, &err) == -1)
			die("idle poll", err);
		times[i] = now_s() - t0;
		bytes[i] = (double)(wire(poller_session(p)) - before);
		if (r.unchanged != r.folders)
			die("idle poll", strdup("a folder was not unchanged"));
	}
	qsort(times, IDLE_PASSES, sizeof(double), cmp_double);
	qsort(bytes, IDLE_PASSES, sizeof(double), cmp_double);
	printf("%s idle_poll_time %.2f ms\n", argv[2],
	    times[IDLE_PASSES / 2] * 1000);
	printf("%s idle_poll_bytes %.0f B\n", argv[2], bytes[IDLE_PASSES / 2]);
	poller_free(p);
	state_save(st, NULL);
	state_free(st);	/* the daemon below takes the state's lock */
	if (daemon_rss(argv[3], argv[1], &hwm, &anon) == -1)
		die("the daemon", strdup("did not run or stop cleanly"));
	printf("%s peak_rss %.1f MiB\n", argv[2], hwm / 1024.0);
	printf("%s rss_anon %.1f MiB\n", argv[2], anon / 1024.0);

	naive(&cfg, argv[2]);
	config_clear(&cfg);
	return 0;
}

/*
 * parse_bench: how fast ofii-watch reads mail, and what PDFs cost.
 *
 *   build/bench/parse_bench [SECONDS] MAIL...
 *
 * 1. Non-PDF mails (those of MAIL... without a PDF part) parsed and
 *    recognized in a loop on one core for SECONDS: mails per second.
 * 2. Every PDF convocation of MAIL... through the whole pipeline
 *    (understand_mail: MIME, PDF text in a confined child, recognition):
 *    milliseconds per mail, fork included.
 *    Then each PDF alone: the CPU time its child took, the costliest
 *    named (what the per-mail PDF budget, pdf_timeout, is measured
 *    against).
 * 3. Peak RSS of this (parent) process after step 1 and after step 2:
 *    PDFs are rendered in children, so the parent must not grow.
 * 4. As the daemon reads a mail: every MAIL... through the reader
 *    program (reader_read: exec, reading, JSON back), milliseconds per
 *    mail, and the peak RSS of the largest process that took (the reader
 *    or its PDF child), which lives for those milliseconds only.
 * Aims (issue "Understand the mail"): >= 2,000 mails/s, <= 100 ms per PDF
 * convocation, parent RSS unaffected by PDFs.
 */
#include <sys/resource.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/bench.h"
#include "config/config.h"
#include "daemon/reader.h"
#include "lib/monotonic.h"
#include "lib/log.h"
#include "parsers/convocation.h"
#include "parsers/message.h"
#include "parsers/pdf.h"
#include "reader/understand.h"

struct mail {
	char	*raw;
	size_t	 len;
	int	 has_pdf;
};

/*
 * Each PDF of the mails, alone, in its confined child with the default
 * limits: the CPU time the child took.  Prints the count, the median and
 * the costliest (with its mail).
 */
static void
pdf_costs(struct mail *mails, int nmails, char **names)
{
	double *cost = NULL, worst = 0;
	long c0;
	const char *worst_name = "";
	size_t n = 0, cap = 0, k;
	int i, failed = 0;

	for (i = 0; i < nmails; i++) {
		struct message *msg;

		if (!mails[i].has_pdf || message_parse(mails[i].raw,
		    mails[i].len, NULL, &msg, NULL) == -1)
			continue;
		for (k = 0; k < msg->nparts; k++) {
			struct message_part *p = &msg->parts[k];
			char *text = NULL;

			if (p->kind != PART_PDF)
				continue;
			c0 = children_cpu_ms();
			if (pdf_to_text(p->data, p->len, NULL, &text,
			    NULL) == -1)
				failed++;
			free(text);
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				if ((cost = realloc(cost, cap *
				    sizeof(*cost))) == NULL)
					exit(1);
			}
			cost[n] = (double)(children_cpu_ms() - c0);
			if (cost[n] > worst) {
				worst = cost[n];
				worst_name = names[i];
			}
			n++;
		}
		message_free(msg);
	}
	if (n > 0) {
		double *s = cost;
		size_t a, b;

		/* Median: a small insertion sort will do. */
		for (a = 1; a < n; a++)
			for (b = a; b > 0 && s[b - 1] > s[b]; b--) {
				double t = s[b];

				s[b] = s[b - 1];
				s[b - 1] = t;
			}
		printf("each PDF alone: %zu PDFs (%d unreadable), child CPU "
		    "median %.0f ms, costliest %.0f ms (%s)\n", n, failed,
		    s[n / 2], worst, worst_name);
	}
	free(cost);
}

static char *
slurp(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) == -1 || (n = ftell(f)) < 0) {
		perror(path);
		exit(1);
	}
	rewind(f);
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	buf[n] = '\0';
	*lenp = (size_t)n;
	return buf;
}

int
main(int argc, char *argv[])
{
	struct convocation_config cc = { NULL };
	struct config cfg;
	struct mail *mails;
	double seconds = 3, t0, t;
	long rss_text, rss_pdf, n = 0, npdf = 0, found = 0;
	int i, first = 1, nmails;

	if (argc > 1 && strtod(argv[1], NULL) > 0) {
		seconds = strtod(argv[1], NULL);
		first = 2;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: parse_bench [SECONDS] MAIL...\n");
		return 2;
	}
	log_init("parse_bench", LOG_ERR);
	config_init(&cfg);
	nmails = argc - first;
	mails = calloc((size_t)nmails, sizeof(*mails));
	for (i = 0; i < nmails; i++) {
		struct message *msg;
		size_t k;

		mails[i].raw = slurp(argv[first + i], &mails[i].len);
		if (message_parse(mails[i].raw, mails[i].len, NULL, &msg,
		    NULL) == 0) {
			for (k = 0; k < msg->nparts; k++)
				if (msg->parts[k].kind == PART_PDF)
					mails[i].has_pdf = 1;
			message_free(msg);
		}
		npdf += mails[i].has_pdf;
	}

	/* 1. text mails, one core */
	t0 = now_s();
	do {
		for (i = 0; i < nmails; i++) {
			struct message *msg;
			struct convocation *conv;

			if (mails[i].has_pdf)
				continue;
			if (message_parse(mails[i].raw, mails[i].len, NULL,
			    &msg, NULL) == -1)
				continue;
			if (convocation_extract(msg, &cc, &conv, NULL) == 0) {
				found += conv->nappts > 0;
				convocation_free(conv);
			}
			message_free(msg);
			n++;
		}
	} while ((t = now_s() - t0) < seconds && n > 0);
	rss_text = maxrss_kib();
	printf("non-PDF mails: %d distinct, %ld parsed in %.2f s: "
	    "%.0f mails/s on one core (aim >= 2000)\n", nmails - (int)npdf,
	    n, t, (double)n / t);

	/* 4. (first, while no child has run) through the reader program */
	if (getenv("OFII_WATCH_READER") != NULL) {
		struct rusage ru;
		long runs = 0, failed = 0;
		int r;

		t0 = now_s();
		for (r = 0; r < 3; r++)
			for (i = 0; i < nmails; i++) {
				struct mail_facts *f;
				struct convocation *conv;

				if (reader_read(mails[i].raw, mails[i].len, 0,
				    &cfg, argv[first + i], &f, &conv,
				    NULL) == 0) {
					convocation_free(conv);
					mail_facts_free(f);
				} else
					failed++;
				runs++;
			}
		t = now_s() - t0;
		getrusage(RUSAGE_CHILDREN, &ru);
		printf("through the reader program, as the daemon reads mail: "
		    "%ld runs (%ld unreadable), %.1f ms per mail, exec "
		    "included; its peak RSS %.1f MiB, for those ms\n", runs,
		    failed, t * 1000 / (double)runs, ru.ru_maxrss / 1024.0);
	}

	/* 2. PDF convocations through the whole pipeline */
	if (npdf > 0) {
		int rounds = 10, r;
		long runs = 0;

		t0 = now_s();
		for (r = 0; r < rounds; r++) {
			for (i = 0; i < nmails; i++) {
				struct message *msg;
				struct convocation *conv;

				if (!mails[i].has_pdf)
					continue;
				if (understand_mail(mails[i].raw, mails[i].len,
				    0, &cfg, argv[first + i], &msg, &conv,
				    NULL) == 0) {
					convocation_free(conv);
					message_free(msg);
				}
				runs++;
			}
		}
		t = now_s() - t0;
		rss_pdf = maxrss_kib();
		printf("PDF convocations: %ld distinct, %ld runs: %.1f ms per "
		    "mail, fork and PDF text included (aim <= 100 ms)\n",
		    npdf, runs, t * 1000 / (double)runs);
		pdf_costs(mails, nmails, argv + first);
		printf("parent peak RSS: %.1f MiB after the text mails, "
		    "%.1f MiB after the PDFs (+%ld KiB)\n", rss_text / 1024.0,
		    rss_pdf / 1024.0, rss_pdf - rss_text);
	} else
		printf("parent peak RSS: %.1f MiB\n", rss_text / 1024.0);
	for (i = 0; i < nmails; i++)
		free(mails[i].raw);
	free(mails);
	config_clear(&cfg);
	return found > 0 || n == 0 ? 0 : 1;
}

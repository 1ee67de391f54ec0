/*
 * pdf_to_text(): layout-aware, normalized text of the fixtures made by
 * tests/fixtures/pdf/make_pdfs.py, and the limits of the child process
 * against hostile files (bombs, endless content, deep nesting, damage).
 */
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "lib/monotonic.h"
#include "parsers/pdf.h"

#define FIX	"tests/fixtures/pdf/"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* pdf_to_text() of a fixture with the given limits (NULL: defaults). */
static int
extract(const char *name, const struct pdf_limits *lim, char **textp,
    char **errp)
{
	char path[256], *pdf;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), FIX "%s", name);
	pdf = testutil_read(path, &len);
	rc = pdf_to_text(pdf, len, lim, textp, errp);
	free(pdf);
	return rc;
}

/* The fixture must extract, and give exactly `want`. */
static void
check_text(const char *name, const char *want)
{
	char *text = NULL, *err = NULL;

	if (extract(name, NULL, &text, &err) != 0)
		fail_msg("%s: %s", name, err);
	assert_null(err);
	assert_string_equal(text, want);
	free(text);
}

/* The fixture must fail with exactly `want`. */
static void
check_error(const char *name, const struct pdf_limits *lim, const char *want)
{
	char *text = NULL, *err = NULL;

	assert_int_equal(extract(name, lim, &text, &err), -1);
	assert_null(text);
	assert_non_null(err);
	assert_string_equal(err, want);
	free(err);
}

/* `line` (without its '\n') must be a whole line of text. */
static void
assert_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
	fail_msg("line not found: \"%s\"", line);
}

/* No child of ours is left, reaped or not. */
static void
assert_no_children(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/*
 * The letter: table cells TAB-separated (poppler alone glues them into
 * "08/03/202209h30"), ligature U+FB01 and U+2019 normalized, NBSP and
 * NNBSP plain spaces, "ré-" + "sidence" joined.
 */
static void
test_convocation(void **state)
{
	(void)state;
	check_text("convocation.pdf",
	    "OFFICE FRAN\xc3\x87" "AIS DE L'IMMIGRATION ET DE L'INT\xc3\x89GRATION\n"
	    "Direction territoriale de Lyon\n"
	    "CONVOCATION\n"
	    "Convocation \xc3\xa0 la visite m\xc3\xa9" "dicale le mardi 8 mars 2022 \xc3\xa0 9h30.\n"
	    "Munissez-vous de votre titre de r\xc3\xa9sidence\n"
	    "et du certificat m\xc3\xa9" "dical ; l'office vous attend.\n"
	    "Date\tHeure\tLieu\n"
	    "08/03/2022\t09h30\t7 rue Quivogne, 69002 Lyon\n"
	    "Fin du courrier.\n");
}

/* The in-process variant gives the same text. */
static void
test_unconfined(void **state)
{
	char *pdf, *a = NULL, *b = NULL, *err = NULL;
	size_t len;

	(void)state;
	pdf = testutil_read(FIX "convocation.pdf", &len);
	assert_int_equal(pdf_to_text(pdf, len, NULL, &a, &err), 0);
	assert_int_equal(pdf_to_text_unconfined(pdf, len, 20, &b, &err), 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
	assert_int_equal(pdf_to_text_unconfined("%PDF-1.4 x", 10, 20, &b,
	    &err), -1);
	assert_null(b);
	assert_string_equal(err, "PDF damaged: PDF document is damaged");
	free(err);
	free(pdf);
}

/* The right column is drawn first; reading order is left, then right. */
static void
test_columns(void **state)
{
	(void)state;
	check_text("columns.pdf",
	    "Colonne gauche ligne un\n"
	    "Colonne gauche ligne deux\n"
	    "Colonne gauche ligne trois\n"
	    "Colonne droite ligne un\n"
	    "Colonne droite ligne deux\n"
	    "Colonne droite ligne trois\n");
}

static void
test_multipage(void **state)
{
	(void)state;
	check_text("multipage.pdf",
	    "Lettre page 1 sur 3\n\n"
	    "Lettre page 2 sur 3\n\n"
	    "Lettre page 3 sur 3\n");
}

/* Pages past max_pages are not read (the letter comes first). */
static void
test_pages_limit(void **state)
{
	struct pdf_limits lim;
	char *text = NULL, *err = NULL, want[1024];
	int i;

	(void)state;
	pdf_limits_default(&lim);
	lim.max_pages = 2;
	assert_int_equal(extract("manypages.pdf", &lim, &text, &err), 0);
	assert_string_equal(text,
	    "Annexe page 1 sur 30\n\nAnnexe page 2 sur 30\n");
	free(text);

	/* Default: 20 pages. */
	assert_int_equal(extract("manypages.pdf", NULL, &text, &err), 0);
	want[0] = '\0';
	for (i = 1; i <= 20; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
		    "%sAnnexe page %d sur 30\n", i > 1 ? "\n" : "", i);
	assert_string_equal(text, want);
	free(text);
}

/* Shared sample 01 (Angers): the facts make_samples.py put in the letter. */
static void
test_sample01(void **state)
{
	char *text = NULL, *err = NULL;

	(void)state;
	assert_int_equal(extract("sample01.pdf", NULL, &text, &err), 0);
	assert_line(text, "Jeudi 26 octobre 2023 \xc3\xa0 14 h 45\n"
	    "Service m\xc3\xa9" "dical de l'OFII\n"
	    "22 boulevard Ayrault\n"
	    "49100 Angers");
	assert_line(text, "Centre d'imagerie :\n"
	    "Imagerie m\xc3\xa9" "dicale Loire-Authion\n"
	    "14 route de Brissac\n"
	    "49130 Les Ponts-de-C\xc3\xa9\n"
	    "T\xc3\xa9l. : 02 41 44 86 17");
	assert_line(text, "Le centre est ouvert du lundi au vendredi de "
	    "8 h 30 \xc3\xa0 18 h 00.");
	assert_line(text, "Secr\xc3\xa9tariat m\xc3\xa9" "dical : 02 41 20 57 33");
	assert_line(text, "49047 Angers Cedex 01");
	assert_line(text, "Angers, le 3 octobre 2023");
	assert_line(text, "\xe2\x80\xa2 votre passeport, avec le visa ;");
	assert_line(text, "Page 1");
	free(text);
}

/* Shared sample 03 (Brest): a cairo letter and a Type1/WinAnsi one. */
static void
test_sample03(void **state)
{
	char *text = NULL, *err = NULL;

	(void)state;
	assert_int_equal(extract("sample03_med.pdf", NULL, &text, &err), 0);
	/* Label and value of a two-column layout: a TAB between. */
	assert_line(text, "Date et heure :\t"
	    "lundi 4 d\xc3\xa9" "cembre 2023 \xc3\xa0 9h15");
	assert_line(text, "Adresse :\tOFII - Service m\xc3\xa9" "dical\n"
	    "16 rue de Lyon\n29200 Brest");
	assert_line(text, "Centre d'imagerie de Recouvrance, 4 rue de la "
	    "Porte, 29200 Brest (t\xc3\xa9l. 02 98 43 61 29).");
	free(text);

	assert_int_equal(extract("sample03_cir.pdf", NULL, &text, &err), 0);
	assert_line(text, "Jeudi 11 janvier 2024 \xc3\xa0 9h00\n"
	    "OFII - P\xc3\xb4le int\xc3\xa9gration\n"
	    "7 rue Yves Collet\n"
	    "29200 Brest");
	assert_line(text, "CIR - CONVOCATION \xc3\x80 L'ENTRETIEN D'ACCUEIL");
	assert_line(text, "- un justificatif de domicile r\xc3\xa9" "cent "
	    "(facture d'\xc3\xa9nergie, bail...).");
	free(text);
}

static void
test_not_pdf(void **state)
{
	char *text = (char *)1, *err = NULL;
	char junk[1200];

	(void)state;
	assert_int_equal(pdf_to_text("hello", 5, NULL, &text, &err), -1);
	assert_null(text);
	assert_string_equal(err, "not a PDF (no %PDF- header)");
	free(err);
	assert_int_equal(pdf_to_text("", 0, NULL, &text, &err), -1);
	assert_string_equal(err, "not a PDF (no %PDF- header)");
	free(err);
	assert_int_equal(pdf_to_text(NULL, 0, NULL, &text, &err), -1);
	free(err);
	/* The header further than 1 KB in: not a PDF. */
	memset(junk, 'x', sizeof(junk));
	memcpy(junk + 1030, "%PDF-1.4\n", 9);
	assert_int_equal(pdf_to_text(junk, sizeof(junk), NULL, &text, &err),
	    -1);
	assert_string_equal(err, "not a PDF (no %PDF- header)");
	free(err);
	/* errstr may be NULL. */
	assert_int_equal(pdf_to_text("hello", 5, NULL, &text, NULL), -1);
	assert_no_children();
}

/* Up to 1 KB of junk before the header, as readers allow: same text. */
static void
test_junk_before_header(void **state)
{
	char *pdf, *buf, *a = NULL, *b = NULL, *err = NULL;
	size_t len;

	(void)state;
	pdf = testutil_read(FIX "convocation.pdf", &len);
	buf = malloc(len + 1000);
	assert_non_null(buf);
	memset(buf, '#', 1000);
	memcpy(buf + 1000, pdf, len);
	assert_int_equal(pdf_to_text(pdf, len, NULL, &a, &err), 0);
	assert_int_equal(pdf_to_text(buf, len + 1000, NULL, &b, &err), 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
	free(buf);
	free(pdf);
}

static void
test_damaged(void **state)
{
	(void)state;
	check_error("garbage.pdf", NULL, "PDF damaged: PDF document is damaged");
	check_error("truncated.pdf", NULL,
	    "PDF damaged: PDF document is damaged");
	/* A user password: unreadable for us, said so. */
	check_error("encrypted.pdf", NULL, "PDF is encrypted");
	assert_no_children();
}

/*
 * 100000 nested arrays and dictionaries: poppler's own depth limit makes
 * it give up on the rest of the content stream after the dictionaries (so
 * the third line is lost), but nothing crashes or hangs.  Its own limits
 * are not what is tested here: the file costs some 0.2 s of CPU, ten times
 * that under AddressSanitizer, which is over the default CPU limit.
 */
static void
test_deep(void **state)
{
	char path[] = "/tmp/test_pdf_stderrXXXXXX", *text = NULL, *err = NULL;
	struct pdf_limits lim;
	int fd, saved;

	(void)state;
	pdf_limits_default(&lim);
	lim.cpu_ms = lim.wall_ms = 20000;
	/* poppler complains loudly about this file: not on our stderr. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	fflush(stderr);
	saved = dup(2);
	assert_int_equal(dup2(fd, 2), 2);
	if (extract("deep.pdf", &lim, &text, &err) != 0)
		fail_msg("deep.pdf: %s", err);
	assert_string_equal(text, "Avant les tableaux\n"
	    "Entre les tableaux et les dictionnaires\n");
	free(text);
	check_error("garbage.pdf", NULL, "PDF damaged: PDF document is damaged");
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	assert_int_equal(lseek(fd, 0, SEEK_END), 0);
	close(fd);
}

/* 1 GiB literal string behind two Flate filters: killed by its limit. */
static void
test_bomb(void **state)
{
	struct pdf_limits lim;
	double t0, ms;

	(void)state;
	pdf_limits_default(&lim);
	lim.max_memory = (size_t)64 << 20;
	/* The memory limit alone: time enough for it on a busy machine. */
	lim.cpu_ms = lim.wall_ms = 10000;
	t0 = now_ms();
	check_error("bomb.pdf", &lim,
	    "PDF extraction exceeded its memory limit (64 MiB)");
	ms = now_ms() - t0;
	print_message("bomb: memory limit (64 MiB) hit in %.0f ms\n", ms);
	assert_true(ms < 4000);
	assert_no_children();
}

/* 2 GiB of blanks: no memory, only time.  Wall-clock deadline. */
static void
test_wall_timeout(void **state)
{
	struct pdf_limits lim;
	double t0, ms;

	(void)state;
	pdf_limits_default(&lim);
	lim.wall_ms = 300;
	t0 = now_ms();
	check_error("spin.pdf", &lim, "PDF extraction timed out (300 ms)");
	ms = now_ms() - t0;
	assert_true(ms >= 290 && ms < 1500);
	assert_no_children();
}

/*
 * The same with a generous deadline: the CPU limit ends it, to the
 * parent's watch (20 ms), not to RLIMIT_CPU's whole seconds.
 */
static void
test_cpu_limit(void **state)
{
	struct pdf_limits lim;
	double t0, ms;
	long cpu0, cpu;

	(void)state;
	pdf_limits_default(&lim);
	lim.cpu_ms = 300;
	lim.wall_ms = 10000;
	t0 = now_ms();
	cpu0 = children_cpu_ms();
	check_error("spin.pdf", &lim, "PDF extraction timed out (CPU limit "
	    "of 300 ms)");
	cpu = children_cpu_ms() - cpu0;
	ms = now_ms() - t0;
	print_message("spin: CPU limit of 300 ms: %ld ms of CPU, %.0f ms\n",
	    cpu, ms);
	assert_true(cpu >= 300 && cpu < 450);
	assert_true(ms >= 290 && ms < 3000);
	assert_no_children();
}

/*
 * A real decompression bomb with the default limits: 20 pages share one
 * content stream that inflates (two Flate filters) to 1 GiB of
 * text-showing operators, 20 GiB of text to lay out from 10 KB.  Stopped
 * by its CPU limit (about 1 s of CPU), or by the wall-clock deadline on a
 * busy machine; well under 2 s either way.
 */
static void
test_textbomb(void **state)
{
	char *text = NULL, *err = NULL;
	double t0, ms;
	long cpu0, cpu;

	(void)state;
	t0 = now_ms();
	cpu0 = children_cpu_ms();
	assert_int_equal(extract("textbomb.pdf", NULL, &text, &err), -1);
	cpu = children_cpu_ms() - cpu0;
	ms = now_ms() - t0;
	print_message("textbomb: %s after %ld ms of CPU, %.0f ms\n", err, cpu,
	    ms);
	assert_null(text);
	assert_non_null(strstr(err, "PDF extraction timed out ("));
	free(err);
	assert_true(cpu < 1100);
	assert_true(ms < 2000);
	assert_no_children();
}

/* Text over max_text is an error, not a truncation. */
static void
test_text_limit(void **state)
{
	struct pdf_limits lim;
	char *text = NULL, *full = NULL, *err = NULL, want[64];

	(void)state;
	assert_int_equal(extract("convocation.pdf", NULL, &full, &err), 0);
	pdf_limits_default(&lim);
	lim.max_text = strlen(full);
	assert_int_equal(extract("convocation.pdf", &lim, &text, &err), 0);
	assert_string_equal(text, full);
	free(text);
	lim.max_text = strlen(full) - 1;
	snprintf(want, sizeof(want), "PDF text longer than %zu bytes",
	    lim.max_text);
	check_error("convocation.pdf", &lim, want);
	free(full);
}

static void
noop_handler(int sig)
{
	(void)sig;
}

/*
 * A parent with a SIGCHLD handler and a 1 ms interval timer (poll, read
 * and wait4 keep being interrupted): results unchanged, no zombie.
 */
static void
test_signals(void **state)
{
	struct sigaction sa, old_chld, old_alrm;
	struct itimerval it, old_it;
	struct pdf_limits lim;
	char *text = NULL, *err = NULL;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = noop_handler;	/* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGCHLD, &sa, &old_chld), 0);
	assert_int_equal(sigaction(SIGALRM, &sa, &old_alrm), 0);
	memset(&it, 0, sizeof(it));
	it.it_interval.tv_usec = it.it_value.tv_usec = 1000;
	assert_int_equal(setitimer(ITIMER_REAL, &it, &old_it), 0);

	assert_int_equal(extract("convocation.pdf", NULL, &text, &err), 0);
	assert_line(text, "08/03/2022\t09h30\t7 rue Quivogne, 69002 Lyon");
	free(text);
	pdf_limits_default(&lim);
	lim.wall_ms = 200;
	assert_int_equal(extract("spin.pdf", &lim, &text, &err), -1);
	assert_string_equal(err, "PDF extraction timed out (200 ms)");
	free(err);

	memset(&it, 0, sizeof(it));
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	sigaction(SIGALRM, &old_alrm, NULL);
	sigaction(SIGCHLD, &old_chld, NULL);
	assert_no_children();
}

/*
 * SIGCHLD ignored: the kernel reaps the child itself, so its exit status
 * is lost; a whole reply (it ends with a NUL) is still accepted.
 */
static void
test_sigchld_ignored(void **state)
{
	struct sigaction sa, old;
	char *text = NULL, *err = NULL;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGCHLD, &sa, &old), 0);
	assert_int_equal(extract("convocation.pdf", NULL, &text, &err), 0);
	assert_line(text, "08/03/2022\t09h30\t7 rue Quivogne, 69002 Lyon");
	free(text);
	check_error("garbage.pdf", NULL, "PDF damaged: PDF document is damaged");
	sigaction(SIGCHLD, &old, NULL);
	assert_no_children();
}

/* Limits left at zero are the defaults, not "no time at all". */
static void
test_zero_limits(void **state)
{
	struct pdf_limits zero;
	char *text = NULL, *err = NULL;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(extract("multipage.pdf", &zero, &text, &err), 0);
	assert_string_equal(text, "Lettre page 1 sur 3\n\n"
	    "Lettre page 2 sur 3\n\nLettre page 3 sur 3\n");
	free(text);
	pdf_limits_default(&zero);
	assert_int_equal(zero.max_pages, 20);
	assert_int_equal(zero.cpu_ms, 1000);
	assert_int_equal(zero.max_memory, (size_t)256 << 20);
	assert_int_equal(zero.wall_ms, 1250);
	assert_int_equal(zero.max_text, (size_t)1 << 20);
}

/*
 * 50 extractions: the parent's peak RSS does not grow (the child does the
 * work), no descriptor leaks, no zombie.  Prints the figures.
 */
static void
test_repeat_rss(void **state)
{
	struct rusage before, after, children;
	char *pdf, *text = NULL, *err = NULL;
	size_t len;
	double t0;
	int i, fds;

	(void)state;
	pdf = testutil_read(FIX "sample01.pdf", &len);
	/* Warm up: first-time allocations of the parent. */
	for (i = 0; i < 3; i++) {
		assert_int_equal(pdf_to_text(pdf, len, NULL, &text, &err), 0);
		free(text);
	}
	fds = count_fds();
	getrusage(RUSAGE_SELF, &before);
	t0 = now_ms();
	for (i = 0; i < 50; i++) {
		assert_int_equal(pdf_to_text(pdf, len, NULL, &text, &err), 0);
		assert_line(text, "22 boulevard Ayrault");
		free(text);
	}
	print_message("sample01.pdf: %.1f ms per extraction (fork "
	    "included)\n", (now_ms() - t0) / 50);
	getrusage(RUSAGE_SELF, &after);
	getrusage(RUSAGE_CHILDREN, &children);
	print_message("parent max RSS %ld KiB -> %ld KiB, children max RSS "
	    "%ld KiB\n", before.ru_maxrss, after.ru_maxrss,
	    children.ru_maxrss);
	assert_true(after.ru_maxrss - before.ru_maxrss < 4096);
	assert_int_equal(count_fds(), fds);
	assert_no_children();
	free(pdf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_convocation),
		cmocka_unit_test(test_unconfined),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_multipage),
		cmocka_unit_test(test_pages_limit),
		cmocka_unit_test(test_sample01),
		cmocka_unit_test(test_sample03),
		cmocka_unit_test(test_not_pdf),
		cmocka_unit_test(test_junk_before_header),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_wall_timeout),
		cmocka_unit_test(test_cpu_limit),
		cmocka_unit_test(test_textbomb),
		cmocka_unit_test(test_text_limit),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_sigchld_ignored),
		cmocka_unit_test(test_zero_limits),
		cmocka_unit_test(test_repeat_rss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

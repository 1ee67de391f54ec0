/*
 * pdf: text of a PDF attachment through poppler-glib, run in a forked child
 * with resource limits.
 *
 * Why a child: poppler is a large C++ parser fed with bytes from strangers.
 * A crash, an endless loop or a decompression bomb must cost the daemon one
 * log line, not its life or its memory.  The child gets limits on address
 * space (what the daemon maps at fork time plus max_memory), file size (0),
 * core size (0), open files and, as a backstop, CPU time (RLIMIT_CPU); its
 * stdio goes to /dev/null (poppler prints its complaints there).  The
 * parent watches the child every WATCH_MS: its CPU time (its CPU-time
 * clock, clock_getcpuclockid()) against cpu_ms and its resident memory
 * against max_memory, both to the millisecond; it adds a wall-clock
 * deadline, a cap on the text it reads back, and always reaps the child by
 * pid.  Under AddressSanitizer an address-space limit cannot work (the
 * shadow memory is terabytes of reservations): the resident-memory watch is
 * then the memory limit.
 *
 * Why the parent watches the CPU time rather than the child limiting
 * itself: RLIMIT_CPU counts whole seconds (a 1 s limit lets a bomb run up
 * to 2 s, and the SIGKILL after SIGXCPU one more), and a timer in the child
 * (setitimer(ITIMER_PROF)) is a signal that the code it limits could block
 * or catch.  The kernel's CPU-time clock of the child, read from outside,
 * is exact, costs one system call per look, and nothing in the child can
 * change it.  CPU time rather than wall-clock time: a legitimate letter
 * costs the same CPU on a busy machine, so its limit can be tight without
 * failing a convocation when the machine is loaded; the wall-clock deadline
 * is only for a child that makes no progress at all (stopped, starved).
 *
 * Assumptions, for the caller:
 * - The daemon is single-threaded when it calls pdf_to_text().  After
 *   fork() a multi-threaded process may only make async-signal-safe calls,
 *   yet the child must run poppler and glib (malloc, C++ runtime).  With one
 *   thread this is fine, and the parent itself never touches poppler or
 *   glib, so no library lock can be held at fork time.
 * - Children are reaped by pid: a SIGCHLD handler must not call
 *   waitpid(-1).  With SIGCHLD ignored the exit status is lost; a whole
 *   reply (it ends with a NUL) is still accepted.
 *
 * Limits (struct pdf_limits; a field left at 0 means its default): only the
 * first max_pages pages are read (a convocation is on the first ones); text
 * longer than max_text is an error, not a truncation.
 *
 * Text layout: poppler_page_get_text() glues table cells together
 * ("08/03/202209h30"), so each page's text is rebuilt with
 * poppler_page_get_text_layout(), which gives one rectangle per character
 * of that text: a TAB goes where two glyphs of one line are far apart.
 * Then NFKC (ligatures such as U+FB01), typographic apostrophes to ',
 * every space separator (NBSP, NNBSP...) to ' ', control characters
 * dropped, runs of spaces made one, a word cut by a hyphen at the end of a
 * line joined again ("ré-" + "sidence").  Every line ends with '\n'; pages
 * are separated by a blank line, and there is never more than one.
 */
#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <poppler.h>

#include "lib/errstr.h"
#include "lib/monotonic.h"
#include "parsers/pdf.h"

/* Readers accept a %PDF- header anywhere in the first KB. */
#define PDF_HEADER_WINDOW	1024

/*
 * Two glyphs of one line further apart than this many times the font size
 * (estimated from the glyph box height) are in different cells or columns.
 * A word space is about 0.3 em, a stretched one in justified text rarely
 * more than 0.8 em; table columns are further apart.  The floor keeps tiny
 * fonts from splitting words.
 */
#define CELL_GAP_EM		1.0
#define CELL_GAP_MIN_PT		4.0

/* How often the parent looks at the child's CPU time and resident memory:
   the most either limit can be overshot by. */
#define WATCH_MS		20

#if defined(__SANITIZE_ADDRESS__)
#define OFII_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OFII_ASAN 1
#endif
#endif



void
pdf_limits_default(struct pdf_limits *lim)
{
	lim->max_pages = 20;
	lim->cpu_ms = 1000;
	lim->max_memory = (size_t)256 << 20;
	lim->wall_ms = 1250;
	lim->max_text = (size_t)1 << 20;
}

/* Offset of "%PDF-" within the first KB, or -1. */
static long
pdf_header_offset(const void *pdf, size_t len)
{
	const char *hit;
	size_t window;

	if (pdf == NULL)
		return -1;
	window = len < PDF_HEADER_WINDOW + 5 ? len : PDF_HEADER_WINDOW + 5;
	hit = memmem(pdf, window, "%PDF-", 5);
	if (hit == NULL)
		return -1;
	return (long)(hit - (const char *)pdf);
}

/* ------------------------------------------------------------------ text */

/*
 * Append one page: poppler's text, with a TAB between glyphs of one line
 * that are far apart, word spaces kept as single spaces.
 */
static void
append_page_text(PopplerPage *page, GString *out)
{
	PopplerRectangle *rects = NULL;
	guint nrects = 0;
	char *text;
	const char *p;
	glong nchars;
	guint i;
	int have_prev = 0, pending_space = 0;
	double prev_x2 = 0, prev_h = 0;

	text = poppler_page_get_text(page);
	if (text == NULL)
		return;
	if (!g_utf8_validate(text, -1, NULL)) {
		char *valid = g_utf8_make_valid(text, -1);

		g_free(text);
		text = valid;
	}
	nchars = g_utf8_strlen(text, -1);
	if (!poppler_page_get_text_layout(page, &rects, &nrects))
		nrects = 0;
	if (nrects == 0 || (glong)nrects != nchars) {
		/* No usable geometry: poppler's text as it is. */
		g_string_append(out, text);
		g_free(rects);
		g_free(text);
		return;
	}

	for (p = text, i = 0; *p != '\0'; p = g_utf8_next_char(p), i++) {
		gunichar c = g_utf8_get_char(p);
		const PopplerRectangle *r = &rects[i];
		double h, gap, limit;

		if (c == '\n') {
			g_string_append_c(out, '\n');
			have_prev = pending_space = 0;
			continue;
		}
		if (c == ' ' || c == '\t') {
			pending_space = 1;
			continue;
		}
		h = r->y2 > r->y1 ? r->y2 - r->y1 : r->y1 - r->y2;
		if (have_prev) {
			gap = r->x1 - prev_x2;
			/* Glyph boxes are about 1.15 em high (ascent+descent). */
			limit = CELL_GAP_EM * (h > prev_h ? h : prev_h) / 1.15;
			if (limit < CELL_GAP_MIN_PT)
				limit = CELL_GAP_MIN_PT;
			if (gap > limit)
				g_string_append_c(out, '\t');
			else if (pending_space)
				g_string_append_c(out, ' ');
		}
		g_string_append_unichar(out, c);
		have_prev = 1;
		pending_space = 0;
		prev_x2 = r->x2;
		prev_h = h;
	}
	g_free(rects);
	g_free(text);
}

/* Map one normalized character to what the parsers downstream expect. */
static gunichar
plain_char(gunichar c)
{
	switch (c) {
	case 0x2018: case 0x2019: case 0x201B: case 0x02BC: case 0x2032:
		return '\'';
	case '\t': case '\n':
		return c;
	case 0x00AD:		/* soft hyphen: a hyphenation point */
		return '-';
	case 0xFEFF: case 0x200B: case 0x200C: case 0x200D: case 0x2060:
		return 0;	/* invisible */
	}
	if (c == '\r' || c == '\f' || c == '\v' ||
	    g_unichar_type(c) == G_UNICODE_SPACE_SEPARATOR ||
	    c == 0x2028 || c == 0x2029)
		return ' ';
	if (c < 0x20 || (c >= 0x7F && c < 0xA0))
		return 0;	/* controls: a hostile ToUnicode map */
	return c;
}

/*
 * One line, cleaned: characters mapped by plain_char(), runs of spaces made
 * one, spaces around a TAB dropped, no leading or trailing blanks.
 */
static void
clean_line(const char *s, const char *end, GString *line)
{
	int pending = 0;	/* 0 none, 1 space, 2 tab */

	g_string_truncate(line, 0);
	for (; s < end; s = g_utf8_next_char(s)) {
		gunichar c = plain_char(g_utf8_get_char(s));

		if (c == 0)
			continue;
		if (c == ' ') {
			if (pending < 1)
				pending = 1;
			continue;
		}
		if (c == '\t') {
			pending = 2;
			continue;
		}
		if (pending && line->len > 0)
			g_string_append_c(line, pending == 2 ? '\t' : ' ');
		pending = 0;
		g_string_append_unichar(line, c);
	}
}

/* A blank line is written only between two non-blank ones. */
static void
emit_line(GString *out, const GString *line, int *blank)
{
	if (line->len == 0) {
		*blank = out->len > 0;
		return;
	}
	if (*blank)
		g_string_append_c(out, '\n');
	*blank = 0;
	g_string_append_len(out, line->str, line->len);
	g_string_append_c(out, '\n');
}

/* "titre de ré-" followed by "sidence, ...": a word cut at the line end. */
static int
cut_word(const GString *line, const char *next)
{
	const char *hyphen;

	if (next == NULL || line->len < 2 || line->str[line->len - 1] != '-')
		return 0;
	hyphen = line->str + line->len - 1;
	return g_unichar_islower(g_utf8_get_char(g_utf8_find_prev_char(
	    line->str, hyphen))) && g_unichar_islower(g_utf8_get_char(next));
}

/*
 * Whole-text pass: NFKC, clean each line, join a word cut by a hyphen at
 * the end of a line (lowercase letter, '-', newline, lowercase letter; the
 * rest of the next line stays on its own line, so line structure is kept),
 * at most one blank line in a row, none at either end.
 */
static char *
finish_text(const char *raw)
{
	GPtrArray *lines;
	GString *out, *line, *carry;
	char *nfkc;
	const char *s, *eol;
	guint i;
	int blank = 0;

	nfkc = g_utf8_normalize(raw, -1, G_NORMALIZE_NFKC);
	if (nfkc == NULL)
		nfkc = g_utf8_make_valid(raw, -1);
	lines = g_ptr_array_new_with_free_func(g_free);
	line = g_string_new(NULL);
	for (s = nfkc;; s = eol + 1) {
		if ((eol = strchr(s, '\n')) == NULL)
			eol = s + strlen(s);
		clean_line(s, eol, line);
		g_ptr_array_add(lines, g_strndup(line->str, line->len));
		if (*eol == '\0')
			break;
	}
	g_free(nfkc);

	out = g_string_new(NULL);
	carry = g_string_new(NULL);	/* "titre de ré" waiting for "sidence" */
	for (i = 0; i < lines->len; i++) {
		g_string_assign(line, lines->pdata[i]);
		if (carry->len > 0) {
			/* The cut line gets this line's first word; the rest
			   stays on its own line. */
			size_t w = strcspn(line->str, " \t");

			g_string_append_len(carry, line->str, w);
			if (line->str[w] != '\0') {
				emit_line(out, carry, &blank);
				g_string_erase(line, 0, (gssize)w + 1);
			} else
				g_string_assign(line, carry->str);
			g_string_truncate(carry, 0);
		}
		if (cut_word(line, i + 1 < lines->len ?
		    lines->pdata[i + 1] : NULL)) {
			g_string_append_len(carry, line->str, line->len - 1);
			continue;
		}
		emit_line(out, line, &blank);
	}
	g_ptr_array_free(lines, TRUE);
	g_string_free(line, TRUE);
	g_string_free(carry, TRUE);
	return g_string_free(out, FALSE);
}

int
pdf_to_text_unconfined(const void *pdf, size_t len, int max_pages,
    char **textp, char **errstr)
{
	PopplerDocument *doc;
	GBytes *bytes;
	GError *gerr = NULL;
	GString *raw;
	char *text;
	long off;
	int i, npages;

	*textp = NULL;
	if (errstr != NULL)
		*errstr = NULL;
	off = pdf_header_offset(pdf, len);
	if (off < 0)
		return errstr_set(errstr, "not a PDF (no %%PDF- header)");
	/*
	 * Offsets in the file count from the header: hand poppler the bytes
	 * from there, as readers do, so junk before it breaks nothing.  The
	 * bytes are borrowed; poppler is done with them when doc is freed.
	 */
	bytes = g_bytes_new_static((const char *)pdf + off, len - (size_t)off);
	doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
	g_bytes_unref(bytes);
	if (doc == NULL) {
		int encrypted = gerr != NULL &&
		    g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED);

		if (encrypted)
			errstr_set(errstr, "PDF is encrypted");
		else
			errstr_set(errstr, "PDF damaged: %s",
			    gerr != NULL ? gerr->message : "?");
		g_clear_error(&gerr);
		return -1;
	}

	/* max_pages <= 0: all of them (fuzzer, benchmark). */
	npages = poppler_document_get_n_pages(doc);
	if (max_pages > 0 && npages > max_pages)
		npages = max_pages;	/* the letter is on the first pages */
	raw = g_string_new(NULL);
	for (i = 0; i < npages; i++) {
		PopplerPage *page = poppler_document_get_page(doc, i);

		if (page == NULL)
			continue;
		if (raw->len > 0)
			g_string_append(raw, "\n\n");
		append_page_text(page, raw);
		g_object_unref(page);
	}
	g_object_unref(doc);

	text = finish_text(raw->str);
	g_string_free(raw, TRUE);
	/* Hand back plain malloc memory: callers free(), not g_free(). */
	*textp = strdup(text);
	g_free(text);
	if (*textp == NULL)
		return errstr_set(errstr, "out of memory");
	return 0;
}

/* ----------------------------------------------------------------- child */

/* Field `field` (0 = size, 1 = resident) of /proc/<pid>/statm, in bytes. */
static long long
statm_bytes(pid_t pid, int field)
{
	char path[64], buf[128], *p, *end;
	long long v = -1;
	ssize_t n;
	int fd;

	if (pid == 0)
		snprintf(path, sizeof(path), "/proc/self/statm");
	else
		snprintf(path, sizeof(path), "/proc/%ld/statm", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = buf;
	for (; field >= 0; field--) {
		errno = 0;
		v = strtoll(p, &end, 10);
		if (end == p || errno != 0)
			return -1;
		p = end;
	}
	return v * sysconf(_SC_PAGESIZE);
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Soft limit `soft`, hard limit `hard`, neither above the hard limit
   already in force (raising it would fail, and leave no limit at all). */
static void
set_limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl;

	if (getrlimit(resource, &rl) == 0 && rl.rlim_max != RLIM_INFINITY) {
		if (hard > rl.rlim_max)
			hard = rl.rlim_max;
		if (soft > rl.rlim_max)
			soft = rl.rlim_max;
	}
	rl.rlim_cur = soft;
	rl.rlim_max = hard;
	setrlimit(resource, &rl);
}

/*
 * In the child: become a harmless extractor, then report on fd `out`: one
 * status byte ('T' text, 'E' error message), the payload, a NUL.  Never
 * returns.
 */
static _Noreturn void
child_main(const void *pdf, size_t len, const struct pdf_limits *lim,
    int out, pid_t parent, long long vm_at_fork)
{
	struct sigaction sa;
	struct rlimit rl;
	sigset_t none;
	char *text = NULL, *err = NULL;
	rlim_t cpu_s;
	int fd, sig, rc;
#ifndef OFII_ASAN
	rlim_t as;
#endif

	/* The daemon's handlers and blocked signals are not ours. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Die with the daemon; it may have died before prctl(). */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);

	/* Descriptors: 0-2 on /dev/null (poppler prints warnings), the
	   result pipe on 3, nothing else. */
	if (out < 3 && (out = fcntl(out, F_DUPFD, 3)) == -1)
		_exit(3);
	if ((fd = open("/dev/null", O_RDWR)) == -1)
		_exit(3);
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (out != 3 && dup2(out, 3) == -1)
		_exit(3);
	out = 3;
	if (close_range(4, ~0U, 0) == -1) {
		int maxfd = getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
		    rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 65536 ?
		    (int)rl.rlim_cur : 65536;

		for (fd = 4; fd < maxfd; fd++)
			close(fd);
	}

	set_limit(RLIMIT_CORE, 0, 0);
	set_limit(RLIMIT_FSIZE, 0, 0);
	set_limit(RLIMIT_NOFILE, 16, 16);
	/*
	 * CPU: the parent kills us at cpu_ms.  The kernel's own limit, a
	 * second or two later (SIGXCPU, then SIGKILL), is only a backstop
	 * should the parent stop watching.
	 */
	cpu_s = (rlim_t)lim->cpu_ms / 1000 + 2;
	set_limit(RLIMIT_CPU, cpu_s, cpu_s + 1);
#ifndef OFII_ASAN
	/*
	 * Address space: what the process maps now plus max_memory.  Not
	 * under AddressSanitizer, whose terabytes of shadow reservations and
	 * allocator make any such limit meaningless; there the parent's watch
	 * on resident memory is the limit.
	 */
	as = (vm_at_fork > 0 ? (rlim_t)vm_at_fork : 0) + lim->max_memory;
	set_limit(RLIMIT_AS, as, as);
#else
	(void)vm_at_fork;
#endif

	rc = pdf_to_text_unconfined(pdf, len, lim->max_pages, &text, &err);
	if (rc == 0 && strlen(text) > lim->max_text) {
		rc = -1;
		err = NULL;
		if (asprintf(&err, "PDF text longer than %zu bytes",
		    lim->max_text) == -1)
			err = NULL;
	}
	/* The NUL written last tells the parent the reply is whole. */
	if (rc == 0) {
		if (write_all(out, "T", 1) == -1 ||
		    write_all(out, text, strlen(text) + 1) == -1)
			_exit(2);
	} else {
		const char *msg = err != NULL ? err : "PDF extraction failed";

		if (write_all(out, "E", 1) == -1 ||
		    write_all(out, msg, strlen(msg) + 1) == -1)
			_exit(2);
	}
	/* No free(): _exit() is quicker, and the limits above still hold. */
	_exit(0);
}

/* ---------------------------------------------------------------- parent */

enum kill_reason {
	KILLED_NOT = 0,
	KILLED_WALL,
	KILLED_CPU,
	KILLED_MEMORY,
	KILLED_TEXT,
	KILLED_NOMEM		/* ours: no room for the reply */
};

/* Reap pid; 0 and *statusp, or -1 if it is gone (someone else reaped it). */
static int
reap(pid_t pid, int *statusp, struct rusage *ru)
{
	pid_t r;

	for (;;) {
		r = wait4(pid, statusp, 0, ru);
		if (r == pid)
			return 0;
		if (r == -1 && errno == EINTR)
			continue;
		return -1;
	}
}

static const char *
signame(int sig)
{
	switch (sig) {
	case SIGABRT:	return "SIGABRT";
	case SIGSEGV:	return "SIGSEGV";
	case SIGBUS:	return "SIGBUS";
	case SIGKILL:	return "SIGKILL";
	case SIGXCPU:	return "SIGXCPU";
	case SIGILL:	return "SIGILL";
	case SIGFPE:	return "SIGFPE";
	case SIGPIPE:	return "SIGPIPE";
	case SIGXFSZ:	return "SIGXFSZ";
	}
	return "a signal";
}

int
pdf_to_text(const void *pdf, size_t len, const struct pdf_limits *limits,
    char **textp, char **errstr)
{
	struct pdf_limits eff;
	const struct pdf_limits *lim = &eff;
	struct rusage ru;
	enum kill_reason killed = KILLED_NOT;
	char *buf = NULL;
	size_t have = 0, cap = 0, want;
	long long deadline, next_watch, rss_base, vm, cpu_ms;
	clockid_t cpu_clock;
	pid_t pid, parent;
	int fds[2], status = 0, reaped, complete, watch_cpu;
	char kind;

	*textp = NULL;
	if (errstr != NULL)
		*errstr = NULL;
	/* NULL, or a field left at 0, means the default. */
	pdf_limits_default(&eff);
	if (limits != NULL) {
		if (limits->max_pages > 0)
			eff.max_pages = limits->max_pages;
		if (limits->cpu_ms > 0)
			eff.cpu_ms = limits->cpu_ms;
		if (limits->max_memory > 0)
			eff.max_memory = limits->max_memory;
		if (limits->wall_ms > 0)
			eff.wall_ms = limits->wall_ms;
		if (limits->max_text > 0)
			eff.max_text = limits->max_text;
	}
	if (pdf_header_offset(pdf, len) < 0)
		return errstr_set(errstr, "not a PDF (no %%PDF- header)");
	/* Status byte, text, NUL, and one more byte to notice an overflow. */
	want = lim->max_text + 3;

	if (pipe2(fds, O_CLOEXEC) == -1)
		return errstr_set(errstr, "PDF extraction: pipe: %s",
		    strerror(errno));
	vm = statm_bytes(0, 0);
	rss_base = statm_bytes(0, 1);
	parent = getpid();
	pid = fork();
	if (pid == -1) {
		int e = errno;

		close(fds[0]);
		close(fds[1]);
		return errstr_set(errstr, "PDF extraction: fork: %s",
		    strerror(e));
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(pdf, len, lim, fds[1], parent, vm);
	}
	close(fds[1]);
	/* Without its CPU-time clock, RLIMIT_CPU in the child still holds. */
	watch_cpu = clock_getcpuclockid(pid, &cpu_clock) == 0;

	deadline = monotonic_ms() + lim->wall_ms;
	next_watch = monotonic_ms() + WATCH_MS;
	for (;;) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		long long now = monotonic_ms(), slice;
		ssize_t n;
		int pr;

		if (now >= deadline) {
			killed = KILLED_WALL;
			break;
		}
		if (now >= next_watch) {
			/*
			 * Resident memory beyond what the child shared with
			 * us at fork: the limit under ASan, a second belt
			 * otherwise.
			 */
			long long rss = statm_bytes(pid, 1);
			struct timespec cpu;

			if (rss > 0 && rss - (rss_base > 0 ? rss_base : 0) >
			    (long long)lim->max_memory) {
				killed = KILLED_MEMORY;
				break;
			}
			if (watch_cpu && clock_gettime(cpu_clock, &cpu) == 0 &&
			    (long long)cpu.tv_sec * 1000 + cpu.tv_nsec /
			    1000000 >= (long long)lim->cpu_ms) {
				killed = KILLED_CPU;
				break;
			}
			next_watch = now + WATCH_MS;
		}
		slice = deadline - now;
		if (slice > next_watch - now)
			slice = next_watch - now;
		pr = poll(&pfd, 1, (int)(slice > 0 ? slice : 0));
		if (pr == -1 && errno != EINTR) {
			killed = KILLED_WALL;	/* cannot wait: give up */
			break;
		}
		if (pr <= 0)
			continue;
		if (have == cap) {
			size_t ncap = cap == 0 ? 16384 : cap * 2;
			char *nbuf;

			if (ncap > want)
				ncap = want;
			if ((nbuf = realloc(buf, ncap)) == NULL) {
				killed = KILLED_NOMEM;
				break;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = read(fds[0], buf + have, cap - have);
		if (n == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0)
			break;		/* EOF (or error): the child is done */
		have += (size_t)n;
		if (have >= want) {
			killed = KILLED_TEXT;
			break;
		}
	}
	close(fds[0]);

	if (killed != KILLED_NOT) {
		kill(pid, SIGKILL);
		reaped = reap(pid, &status, &ru);
	} else {
		/* EOF: the child is exiting.  Wait, but not past the
		   deadline. */
		pid_t r;

		for (;;) {
			r = wait4(pid, &status, WNOHANG, &ru);
			if (r == pid || (r == -1 && errno != EINTR))
				break;
			if (monotonic_ms() >= deadline) {
				killed = KILLED_WALL;
				kill(pid, SIGKILL);
				break;
			}
			if (r == 0) {
				struct timespec ts = { 0, 1000000 };

				nanosleep(&ts, NULL);
			}
		}
		if (killed != KILLED_NOT)
			reaped = reap(pid, &status, &ru);
		else
			reaped = r == pid ? 0 : -1;
	}

	if (killed == KILLED_WALL) {
		free(buf);
		return errstr_set(errstr, "PDF extraction timed out (%u ms)",
		    lim->wall_ms);
	}
	if (killed == KILLED_CPU) {
		free(buf);
		return errstr_set(errstr, "PDF extraction timed out (CPU limit "
		    "of %u ms)", lim->cpu_ms);
	}
	if (killed == KILLED_MEMORY) {
		free(buf);
		return errstr_set(errstr, "PDF extraction exceeded its memory "
		    "limit (%zu MiB)", lim->max_memory >> 20);
	}
	if (killed == KILLED_TEXT) {
		free(buf);
		return errstr_set(errstr, "PDF text longer than %zu bytes",
		    lim->max_text);
	}
	if (killed == KILLED_NOMEM) {
		free(buf);
		return errstr_set(errstr, "PDF extraction: out of memory");
	}
	complete = have >= 2 && buf[have - 1] == '\0' &&
	    (buf[0] == 'T' || buf[0] == 'E');
	if (reaped == -1 && !complete) {
		free(buf);
		return errstr_set(errstr, "PDF extraction: child %ld vanished "
		    "(SIGCHLD ignored?)", (long)pid);
	}
	if (reaped == 0 && WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		free(buf);
		cpu_ms = (long long)ru.ru_utime.tv_sec * 1000 +
		    ru.ru_utime.tv_usec / 1000 +
		    (long long)ru.ru_stime.tv_sec * 1000 +
		    ru.ru_stime.tv_usec / 1000;
		if (sig == SIGXCPU || (sig == SIGKILL &&
		    cpu_ms >= (long long)lim->cpu_ms))
			return errstr_set(errstr, "PDF extraction timed out "
			    "(CPU limit of %u ms)", lim->cpu_ms);
		/* Allocation failures under RLIMIT_AS end in abort() in
		   poppler, glib and the C++ runtime alike; SIGKILL without
		   CPU time spent is the kernel's OOM killer. */
		if (sig == SIGABRT || sig == SIGKILL)
			return errstr_set(errstr, "PDF extraction exceeded its "
			    "memory limit (%zu MiB)", lim->max_memory >> 20);
		return errstr_set(errstr, "PDF extraction crashed (%s)",
		    signame(sig));
	}
	if (reaped == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
		free(buf);
		return errstr_set(errstr, "PDF extraction failed (child exit "
		    "status %d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	}
	if (!complete) {
		free(buf);
		return errstr_set(errstr, "PDF extraction failed (incomplete "
		    "reply from child)");
	}

	/* buf: status byte, payload, NUL: keep the payload. */
	kind = buf[0];
	memmove(buf, buf + 1, have - 1);
	if (kind == 'T') {
		*textp = buf;
		return 0;
	}
	if (errstr != NULL) {
		*errstr = buf;
		return -1;
	}
	free(buf);
	return -1;
}

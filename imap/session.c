/*
 * session: a read-only IMAP session over libcurl, see imap/session.h.
 *
 * Who owns what: the session owns its easy handle, the secret and the name
 * of the EXAMINE'd folder; each command owns an imap_stream (the bytes
 * libcurl passes to the header callback, reassembled into responses) and
 * an imap_reply (what those responses said), both freed before the
 * operation returns.  Results handed to the caller are the caller's.
 * The stream, the parser and the command text are imap/wire.c: here is
 * only the transport, the retries and the kinds of failure.
 *
 * Why the header callback: for a custom request libcurl gives the write
 * callback only the untagged lines, and literals ({n} and the bytes after
 * it, e.g. a message body) only to the header callback, split into lines.
 * Concatenated, the header callback data is the server's byte stream, so
 * it is parsed as IMAP (imap/wire.c), with our own bounds.
 *
 * Known libcurl 7.88 behaviours this code is built around (measured): a
 * line longer than half of CURLOPT_BUFFERSIZE is clipped or corrupted
 * with rc=0 (so BUFFERSIZE is 512 KiB and lines above IMAP_MAX_LINE are
 * refused before that, by the stream); a body line that equals the
 * command's tag ends the response early, and one starting with "+ " fails
 * the command (both are detected: the stream ends inside a literal, or
 * rc != 0, and the connection is dropped); any NO/BAD makes libcurl close
 * the connection; a dead reused connection gives rc=56 once.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/tcp.h>

#include <stdarg.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config/secret.h"
#include "imap/session.h"
#include "imap/wire.h"
#include "lib/errstr.h"
#include "lib/keepalive.h"
#include "lib/log.h"
#include "lib/monotonic.h"

/* Debian's ca-certificates bundle (also Ubuntu, Arch, Alpine). */
#define SYSTEM_CA_BUNDLE	"/etc/ssl/certs/ca-certificates.crt"

#define CURL_BUFFER_SIZE	(512L * 1024)
#define SMALL_LIMIT		(4 * IMAP_MAX_LINE)	/* a non-FETCH reply */
#define MIN_BODY_RATE		16384	/* bytes/s granted to a body fetch */
/*
 * Debian's libcurl 7.88.1 fails a transfer whose "headers" (for IMAP:
 * every response line, literals included) exceed 300 KiB (rc=56 "Too large
 * response headers").  So no command may bring more: bodies are fetched in
 * BODY_CHUNK pieces (BODY.PEEK[]<offset.length>), and a reply that would
 * cross HEADER_BUDGET is refused by us first, as a protocol error about
 * that command, not a network one.
 */
#define HEADER_BUDGET		(296 * 1024)
#define BODY_CHUNK		(192 * 1024)
/*
 * UIDs returned by one imap_uid_search (the lowest; the caller searches
 * again from there), header bytes per message, UIDs per header FETCH.
 */
#define IMAP_MAX_SEARCH_UIDS	10000
#define IMAP_MAX_HEADERS	(64 * 1024)
#define IMAP_MAX_FETCH_BATCH	100

struct imap_session {
	const struct config *cfg;
	CURL		*h;
	char		*url;		/* scheme://host:port/, no mailbox */
	char		*host;		/* for messages */
	char		*secret;	/* password or bearer token */
	int		 xoauth2;
	int		 insecure;
	char		 curlerr[CURL_ERROR_SIZE];
	enum imap_error	 kind;		/* of the last failure */
	char		*caps;		/* last capability list seen */
	unsigned long	 connections;
	/* The folder EXAMINE'd last, to re-EXAMINE on a new connection. */
	char		*selected;	/* quoted mUTF-7, as sent */
	struct imap_mailbox selected_mb;
	int		 selected_valid; /* examined on this connection */
	/* The command in flight (the header callback feeds it). */
	struct imap_stream *stream;
	size_t		 hdr_bytes;	/* header callback bytes, this perform */
	CURLcode	 last_rc;
	struct timespec	 deadline;	/* of the command in flight */
	int		 timed_out;
	int		 interrupted;	/* keepalive_poll() asked to stop */
};

static int	fail(struct imap_session *, enum imap_error, char **,
		    const char *, ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct imap_session *s, enum imap_error kind, char **errstr,
    const char *fmt, ...)
{
	va_list ap;

	if (s != NULL)
		s->kind = kind;
	va_start(ap, fmt);
	errstr_vset(errstr, fmt, ap);
	va_end(ap);
	return -1;
}

enum imap_error
imap_error_kind(const struct imap_session *s)
{
	return s->kind;
}

const char *
imap_error_name(enum imap_error k)
{
	switch (k) {
	case IMAP_OK:		return "ok";
	case IMAP_ERR_CONFIG:	return "configuration";
	case IMAP_ERR_AUTH:	return "authentication";
	case IMAP_ERR_TLS:	return "TLS";
	case IMAP_ERR_NETWORK:	return "network";
	case IMAP_ERR_PROTOCOL:	return "protocol";
	case IMAP_ERR_TOOBIG:	return "message too big";
	case IMAP_ERR_CHANGED:	return "mailbox changed";
	case IMAP_ERR_INTERRUPTED: return "interrupted";
	}
	return "?";
}

static size_t
header_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct imap_session *s = arg;
	size_t n = size * nmemb;

	/* LOGOUT at cleanup, or a line after an error: nobody listens. */
	if (s->stream == NULL)
		return n;
	s->hdr_bytes += n;
	if (s->hdr_bytes > HEADER_BUDGET && !s->stream->failed)
		imap_stream_failf(s->stream, "the reply to one command is larger "
		    "than %d KiB", HEADER_BUDGET / 1024);
	if (imap_stream_feed(s->stream, p, n) == -1)
		return 0;		/* aborts the transfer, closes */
	return n;
}

static size_t
discard_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	(void)p;
	(void)arg;
	return size * nmemb;		/* untagged lines: header_cb has them */
}

/*
 * Our own deadline per command.  libcurl's SERVER_RESPONSE_TIMEOUT alone
 * is not enough: when it fires, libcurl sends LOGOUT and waits for the
 * (stalled) server as long again, plus a second.  Past the deadline the
 * socket is shut down first, so nothing more can wait on it.
 *
 * libcurl calls this at least once a second, data or not: the daemon's
 * watchdog is fed from here during a long download, and a stop request
 * (SIGTERM) ends the transfer at once (keepalive_poll()).
 */
static int
xferinfo_cb(void *arg, curl_off_t dlt, curl_off_t dln, curl_off_t ult,
    curl_off_t uln)
{
	struct imap_session *s = arg;
	struct timespec now;
	curl_socket_t fd = CURL_SOCKET_BAD;

	(void)dlt;
	(void)dln;
	(void)ult;
	(void)uln;
	if (s->stream == NULL)
		return 0;
	if (keepalive_poll())
		s->interrupted = 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!s->interrupted && (now.tv_sec < s->deadline.tv_sec ||
	    (now.tv_sec == s->deadline.tv_sec &&
	    now.tv_nsec < s->deadline.tv_nsec)))
		return 0;
	if (!s->interrupted)
		s->timed_out = 1;
	if (curl_easy_getinfo(s->h, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK &&
	    fd != CURL_SOCKET_BAD)
		shutdown(fd, SHUT_RDWR);
	return 1;
}

static int
sockopt_cb(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	struct imap_session *s = arg;

	(void)fd;
	(void)purpose;
	if (s->insecure)
		log_warnx("imap: insecure = yes: connecting to %s without "
		    "%s (for tests on this machine only)", s->host,
		    strncmp(s->url, "imaps:", 6) == 0 ?
		    "certificate verification" : "TLS");
	return CURL_SOCKOPT_OK;
}

/* The connection's socket, close-on-exec: no command we run inherits it. */
static curl_socket_t
opensocket_cb(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	(void)arg;
	(void)purpose;
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static int
is_loopback(const char *host)
{
	return strcmp(host, "localhost") == 0 ||
	    strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0 ||
	    strcmp(host, "::1") == 0;
}

/* scheme://host[:port]/ from cfg->url; checks the scheme. */
static int
parse_url(struct imap_session *s, char **errstr)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	int ret = -1;

	if (u == NULL)
		return fail(s, IMAP_ERR_CONFIG, errstr, "out of memory");
	if (s->cfg->url == NULL ||
	    curl_url_set(u, CURLUPART_URL, s->cfg->url, 0) != CURLUE_OK) {
		fail(s, IMAP_ERR_CONFIG, errstr, "url: not a valid URL");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcmp(scheme, "imap") != 0 && strcmp(scheme, "imaps") != 0)) {
		fail(s, IMAP_ERR_CONFIG, errstr, "url: must start with "
		    "imaps:// or imap://");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		fail(s, IMAP_ERR_CONFIG, errstr, "url: no host");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) != CURLUE_OK)
		port = NULL;
	if (asprintf(&s->url, "%s://%s%s%s/", scheme, host, port ? ":" : "",
	    port ? port : "") == -1 || (s->host = strdup(host)) == NULL) {
		fail(s, IMAP_ERR_CONFIG, errstr, "out of memory");
		goto out;
	}
	ret = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ret;
}

struct imap_session *
imap_open(const struct config *cfg, char **errstr)
{
	static int curl_ready;
	struct imap_session *s;
	int r;

	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			errstr_set(errstr, "libcurl: initialisation failed");
			return NULL;
		}
		curl_ready = 1;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		errstr_set(errstr, "out of memory");
		return NULL;
	}
	s->cfg = cfg;
	s->insecure = cfg->insecure;
	if (parse_url(s, errstr) == -1)
		goto bad;
	if (s->insecure && !is_loopback(s->host)) {
		fail(s, IMAP_ERR_CONFIG, errstr, "insecure = yes is only "
		    "allowed for a server on this machine (127.0.0.1), not "
		    "%s", s->host);
		goto bad;
	}
	if (cfg->user == NULL) {
		errstr_set(errstr, "[account] needs 'user'");
		goto bad;
	}
	if (cfg->oauth2_token_command != NULL) {
		s->xoauth2 = 1;
		r = secret_run_command(cfg->oauth2_token_command,
		    "oauth2_token_command", (int)cfg->timeout, &s->secret,
		    errstr);
	} else
		r = secret_fetch(&cfg->password, "password", (int)cfg->timeout,
		    &s->secret, errstr);
	if (r == -1)
		goto bad;
	s->kind = IMAP_OK;
	return s;
bad:
	imap_close(s);
	return NULL;
}

static int
new_handle(struct imap_session *s, char **errstr)
{
	const struct config *cfg = s->cfg;
	CURL *h;
	long t = cfg->timeout > 0 ? cfg->timeout : 60;

	if ((h = curl_easy_init()) == NULL)
		return fail(s, IMAP_ERR_NETWORK, errstr, "libcurl: out of "
		    "memory");
	curl_easy_setopt(h, CURLOPT_URL, s->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "imap,imaps");
	curl_easy_setopt(h, CURLOPT_USERNAME, cfg->user);
	if (s->xoauth2) {
		curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, s->secret);
		/* Without it libcurl falls back to PLAIN, empty password. */
		curl_easy_setopt(h, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2");
	} else
		curl_easy_setopt(h, CURLOPT_PASSWORD, s->secret);
	if (s->insecure) {
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_NONE);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	} else {
		/* imap:// must upgrade with STARTTLS or fail, never plain. */
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
		/*
		 * Debian's libcurl-gnutls trusts CAPATH=/etc/ssl/certs by
		 * default: every file there, ~7 MB of parsed certificates.
		 * With ca_file, that CA alone is trusted (a self-hosted
		 * server); else the system bundle, parsed once.
		 */
		if (cfg->ca_file != NULL) {
			curl_easy_setopt(h, CURLOPT_CAINFO, cfg->ca_file);
			curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
		} else if (access(SYSTEM_CA_BUNDLE, R_OK) == 0) {
			curl_easy_setopt(h, CURLOPT_CAINFO, SYSTEM_CA_BUNDLE);
			curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
		}
	}
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, t);
	curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, t);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, t);
	curl_easy_setopt(h, CURLOPT_BUFFERSIZE, CURL_BUFFER_SIZE);
	curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	/* Never CURLOPT_VERBOSE: it would print the login exchange. */
	curl_easy_setopt(h, CURLOPT_VERBOSE, 0L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->curlerr);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, s);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, s);
	curl_easy_setopt(h, CURLOPT_SOCKOPTFUNCTION, sockopt_cb);
	curl_easy_setopt(h, CURLOPT_SOCKOPTDATA, s);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, opensocket_cb);
	s->h = h;
	return 0;
}

/*
 * Forget the connection: after an error, or when the byte stream can no
 * longer be trusted (libcurl may think a response ended where it did not).
 * shutdown() first, so that the cleanup's LOGOUT fails at once instead of
 * waiting on a server that may be stalled or out of step.
 */
static void
drop_connection(struct imap_session *s)
{
	curl_socket_t fd = CURL_SOCKET_BAD;

	if (s->h == NULL)
		return;
	if (curl_easy_getinfo(s->h, CURLINFO_ACTIVESOCKET, &fd) == CURLE_OK &&
	    fd != CURL_SOCKET_BAD)
		shutdown(fd, SHUT_RDWR);
	curl_easy_cleanup(s->h);
	s->h = NULL;
	s->selected_valid = 0;
}

void
imap_disconnect(struct imap_session *s)
{
	if (s == NULL || s->h == NULL)
		return;
	s->stream = NULL;
	curl_easy_cleanup(s->h);	/* LOGOUT */
	s->h = NULL;
	s->selected_valid = 0;
}

void
imap_close(struct imap_session *s)
{
	if (s == NULL)
		return;
	if (s->h != NULL) {
		s->stream = NULL;
		curl_easy_cleanup(s->h);	/* LOGOUT */
	}
	if (s->secret != NULL)
		secret_free(s->secret);
	free(s->url);
	free(s->host);
	free(s->caps);
	free(s->selected);
	free(s);
}

static enum imap_error
curl_kind(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return IMAP_OK;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_NOT_BUILT_IN:
	case CURLE_INTERFACE_FAILED:
		return IMAP_ERR_CONFIG;
	case CURLE_LOGIN_DENIED:
		return IMAP_ERR_AUTH;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_USE_SSL_FAILED:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
		return IMAP_ERR_TLS;
	case CURLE_QUOTE_ERROR:			/* tagged NO / BAD */
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_REMOTE_ACCESS_DENIED:
	case CURLE_WRITE_ERROR:			/* our parser refused */
		return IMAP_ERR_PROTOCOL;
	default:
		return IMAP_ERR_NETWORK;
	}
}

/*
 * One command on the (possibly new) connection, as a custom request.
 * `verb` names it in errors.  `limit`: largest response accepted.
 * Returns 0, or -1 with s->kind and *errstr set.  *freshp: a new
 * connection was made for it (whatever was EXAMINE'd is gone).
 */
static int
perform(struct imap_session *s, const char *verb, const char *cmd,
    struct imap_reply *r, size_t limit, long timeout, int *freshp,
    char **errstr)
{
	struct imap_stream st;
	CURLcode rc;
	long nconn = 0;
	int ret = -1, refused;

	*freshp = 0;
	if (s->h == NULL && new_handle(s, errstr) == -1)
		return -1;
	imap_stream_init(&st, limit, imap_reply_cb, r);
	s->curlerr[0] = '\0';
	curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, cmd);
	/* A backstop only: our deadline (xferinfo_cb) comes first. */
	curl_easy_setopt(s->h, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout + 5);
	clock_gettime(CLOCK_MONOTONIC, &s->deadline);
	s->deadline.tv_sec += timeout;
	s->timed_out = 0;
	s->interrupted = 0;
	s->stream = &st;
	s->hdr_bytes = 0;
	rc = curl_easy_perform(s->h);
	s->stream = NULL;
	s->last_rc = rc;
	if (curl_easy_getinfo(s->h, CURLINFO_NUM_CONNECTS, &nconn) ==
	    CURLE_OK && nconn > 0) {
		*freshp = 1;
		s->connections += (unsigned long)nconn;
		s->selected_valid = 0;
		log_debug("imap: connected to %s", s->host);
	}
	if (r->caps != NULL) {
		free(s->caps);
		s->caps = strdup(r->caps);
	}
	if (rc == CURLE_OK && imap_stream_finish(&st) == 0) {
		if (r->status == 'O') {
			s->kind = IMAP_OK;
			ret = 0;
			goto out;
		}
		/* libcurl saw its tag where we did not: out of step. */
		fail(s, IMAP_ERR_PROTOCOL, errstr, "%s: %s: the server's reply "
		    "did not end as expected", s->host, verb);
		drop_connection(s);
		goto out;
	}
	if (s->interrupted) {
		fail(s, IMAP_ERR_INTERRUPTED, errstr, "%s: %s: interrupted "
		    "(asked to stop)", s->host, verb);
		drop_connection(s);
		goto out;
	}
	if (s->timed_out) {
		fail(s, IMAP_ERR_NETWORK, errstr, "%s: %s: no reply within "
		    "%ld s", s->host, verb, timeout);
		drop_connection(s);
		goto out;
	}
	if (st.failed) {
		fail(s, st.oversize && r->want_body ? IMAP_ERR_TOOBIG :
		    IMAP_ERR_PROTOCOL, errstr, "%s: %s: %s", s->host, verb,
		    st.err ? st.err : "bad reply");
		drop_connection(s);
		goto out;
	}
	if (rc == CURLE_RECV_ERROR && strncmp(s->curlerr, "Too large response",
	    18) == 0) {
		/* libcurl's own cap on response lines (see HEADER_BUDGET). */
		fail(s, IMAP_ERR_PROTOCOL, errstr, "%s: %s: the reply is "
		    "larger than libcurl accepts (%s)", s->host, verb,
		    s->curlerr);
		drop_connection(s);
		goto out;
	}
	switch (curl_kind(rc)) {
	case IMAP_ERR_AUTH:
		refused = r->status == 'N' || r->status == 'B';
		fail(s, IMAP_ERR_AUTH, errstr, "%s: login refused for user "
		    "'%s'%s%s%s", s->host, s->cfg->user,
		    refused && r->status_text ? ": " : "",
		    refused && r->status_text ? r->status_text : "",
		    s->xoauth2 && !refused && s->caps != NULL &&
		    !imap_has_capability(s, "AUTH=XOAUTH2") ?
		    " (the server does not offer AUTH=XOAUTH2)" : "");
		break;
	case IMAP_ERR_TLS:
		if (rc == CURLE_USE_SSL_FAILED)
			fail(s, IMAP_ERR_TLS, errstr, "%s: the server does not "
			    "offer STARTTLS: refusing to log in without TLS "
			    "(use imaps:// if it has a TLS port)", s->host);
		else
			fail(s, IMAP_ERR_TLS, errstr, "%s: TLS: %s", s->host,
			    s->curlerr[0] ? s->curlerr :
			    curl_easy_strerror(rc));
		break;
	case IMAP_ERR_PROTOCOL:
		if (r->status == 'N' || r->status == 'B')
			fail(s, IMAP_ERR_PROTOCOL, errstr, "%s: %s refused: "
			    "%s %s", s->host, verb,
			    r->status == 'N' ? "NO" : "BAD",
			    r->status_text ? r->status_text : "");
		else if (r->bye != NULL)
			fail(s, IMAP_ERR_NETWORK, errstr, "%s: %s: the server "
			    "closed the session (BYE %s)", s->host, verb,
			    r->bye);
		else
			fail(s, IMAP_ERR_PROTOCOL, errstr, "%s: %s: %s",
			    s->host, verb, s->curlerr[0] ? s->curlerr :
			    curl_easy_strerror(rc));
		break;
	default:
		if (r->bye != NULL)
			fail(s, curl_kind(rc), errstr, "%s: %s: the server "
			    "closed the session (BYE %s)", s->host, verb,
			    r->bye);
		else
			fail(s, curl_kind(rc), errstr, "%s: %s: %s", s->host,
			    verb, s->curlerr[0] ? s->curlerr :
			    curl_easy_strerror(rc));
		break;
	}
	drop_connection(s);
out:
	imap_stream_clear(&st);
	return ret;
}

/*
 * Forget what was received, keep what was asked (the fields marked so in
 * imap/wire.h), to send the same command again.
 */
static void
reply_restart(struct imap_reply *r)
{
	struct imap_reply keep = *r;

	r->want_uids = NULL;		/* kept, not freed */
	imap_reply_clear(r);
	imap_reply_init(r, keep.cmd);
	r->uid_min = keep.uid_min;
	r->want_body = keep.want_body;
	r->body_uid = keep.body_uid;
	r->want_uids = keep.want_uids;
	r->nwant_uids = keep.nwant_uids;
}

/*
 * perform() with the retries that are always safe for read-only commands:
 * once more after a dead reused connection (the server's autologout, a
 * restart), and once with a fresh XOAUTH2 token after a refused one.
 * in_folder: the command needs the EXAMINE'd folder, so the caller
 * retries a lost connection itself (with a new EXAMINE first).
 */
/* The server closed a connection we reused (autologout, restart). */
static int
conn_lost(const struct imap_session *s)
{
	return s->kind == IMAP_ERR_NETWORK && (s->last_rc == CURLE_RECV_ERROR ||
	    s->last_rc == CURLE_SEND_ERROR || s->last_rc == CURLE_GOT_NOTHING);
}

static int
perform_retry(struct imap_session *s, const char *verb, const char *cmd,
    struct imap_reply *r, size_t limit, long timeout, int in_folder,
    int *freshp, char **errstr)
{
	int tried_net = 0, tried_token = 0, fresh_any = 0;

	for (;;) {
		int fresh;

		if (perform(s, verb, cmd, r, limit, timeout, &fresh,
		    errstr) == 0) {
			*freshp = fresh_any | fresh;
			return 0;
		}
		fresh_any |= fresh;
		reply_restart(r);
		if (s->kind == IMAP_ERR_INTERRUPTED) {
			*freshp = fresh_any;
			return -1;
		}
		if (!in_folder && conn_lost(s) && !fresh && !tried_net) {
			tried_net = 1;
			log_debug("imap: %s: retrying on a new connection",
			    verb);
		} else if (s->kind == IMAP_ERR_AUTH && s->xoauth2 &&
		    !tried_token) {
			char *tok = NULL, *terr = NULL;

			tried_token = 1;
			if (secret_run_command(s->cfg->oauth2_token_command,
			    "oauth2_token_command", (int)s->cfg->timeout, &tok,
			    &terr) == -1) {
				free(*errstr);
				*errstr = terr;
				s->kind = IMAP_ERR_AUTH;
				*freshp = fresh_any;
				return -1;
			}
			secret_free(s->secret);
			s->secret = tok;
			log_info("imap: token refused, trying a new one from "
			    "oauth2_token_command");
		} else {
			*freshp = fresh_any;
			return -1;
		}
		free(*errstr);
		*errstr = NULL;
	}
}

int
imap_capabilities(struct imap_session *s, char **capsp, char **errstr)
{
	struct imap_reply r;
	int fresh;

	if (capsp != NULL)
		*capsp = NULL;
	imap_reply_init(&r, IMAP_CMD_OTHER);
	if (perform_retry(s, "CAPABILITY", "CAPABILITY", &r, SMALL_LIMIT,
	    s->cfg->timeout, 0, &fresh, errstr) == -1) {
		imap_reply_clear(&r);
		return -1;
	}
	imap_reply_clear(&r);
	if (capsp != NULL && s->caps != NULL &&
	    (*capsp = strdup(s->caps)) == NULL)
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
	return 0;
}

int
imap_has_capability(const struct imap_session *s, const char *cap)
{
	const char *p;
	size_t n = strlen(cap);

	if (s->caps == NULL)
		return 0;
	for (p = s->caps; *p != '\0'; ) {
		size_t w = strcspn(p, " ");

		if (w == n && strncasecmp(p, cap, n) == 0)
			return 1;
		p += w;
		p += strspn(p, " ");
	}
	return 0;
}

int
imap_list(struct imap_session *s, struct imap_folder_list *out,
    char **errstr)
{
	struct imap_reply r;
	int fresh;
	const char *cmd;

	out->v = NULL;
	out->n = 0;
	if (s->caps == NULL && imap_capabilities(s, NULL, errstr) == -1)
		return -1;
	cmd = imap_has_capability(s, "SPECIAL-USE") ?
	    "LIST \"\" \"*\" RETURN (SPECIAL-USE)" : "LIST \"\" \"*\"";
	imap_reply_init(&r, IMAP_CMD_LIST);
	if (perform_retry(s, "LIST", cmd, &r, SMALL_LIMIT, s->cfg->timeout,
	    0, &fresh, errstr) == -1) {
		imap_reply_clear(&r);
		return -1;
	}
	*out = r.folders;
	r.folders.v = NULL;
	r.folders.n = 0;
	imap_reply_clear(&r);
	return 0;
}

const struct imap_folder *
imap_junk_folder(const struct imap_folder_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((l->v[i].flags & IMAP_FOLDER_JUNK) &&
		    !(l->v[i].flags & IMAP_FOLDER_NOSELECT))
			return &l->v[i];
	for (i = 0; i < l->n; i++)
		if ((l->v[i].flags & IMAP_FOLDER_JUNK_NAME) &&
		    !(l->v[i].flags & IMAP_FOLDER_NOSELECT))
			return &l->v[i];
	return NULL;
}

/* EXAMINE an already quoted name; on success it is the selected one. */
static int
examine_quoted(struct imap_session *s, const char *quoted,
    struct imap_mailbox *mb, char **errstr)
{
	struct imap_reply r;
	char *cmd;
	int fresh;

	if (asprintf(&cmd, "EXAMINE %s", quoted) == -1)
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
	imap_reply_init(&r, IMAP_CMD_EXAMINE);
	if (perform_retry(s, "EXAMINE", cmd, &r, SMALL_LIMIT,
	    s->cfg->timeout, 0, &fresh, errstr) == -1) {
		free(cmd);
		imap_reply_clear(&r);
		s->selected_valid = 0;
		return -1;
	}
	free(cmd);
	if (!r.seen_uidvalidity) {
		imap_reply_clear(&r);
		drop_connection(s);
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "%s: EXAMINE %s: no "
		    "UIDVALIDITY in the reply", s->host, quoted);
	}
	*mb = r.mailbox;
	imap_reply_clear(&r);
	s->selected_valid = 1;
	return 0;
}

int
imap_examine(struct imap_session *s, const char *folder,
    struct imap_mailbox *mb, char **errstr)
{
	char *quoted;

	memset(mb, 0, sizeof(*mb));
	if (imap_quote_mailbox(folder, &quoted, errstr) == -1)
		return fail(s, IMAP_ERR_CONFIG, NULL, "%s", "");
	free(s->selected);
	s->selected = NULL;
	s->selected_valid = 0;
	if (examine_quoted(s, quoted, mb, errstr) == -1) {
		free(quoted);
		return -1;
	}
	s->selected = quoted;
	s->selected_mb = *mb;
	return 0;
}

int
imap_status(struct imap_session *s, const char *folder,
    struct imap_mailbox *mb, char **errstr)
{
	struct imap_reply r;
	char *quoted, *cmd;
	int fresh;

	memset(mb, 0, sizeof(*mb));
	/* Before the first login we do not know the server yet; and a
	   selected folder's STATUS may be stale (measured on Dovecot). */
	if (s->h == NULL || !imap_has_capability(s, "UNSELECT") ||
	    (s->selected != NULL && s->selected_valid))
		return 0;
	if (imap_quote_mailbox(folder, &quoted, errstr) == -1)
		return fail(s, IMAP_ERR_CONFIG, NULL, "%s", "");
	if (asprintf(&cmd, "STATUS %s (UIDNEXT UIDVALIDITY)", quoted) == -1) {
		free(quoted);
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
	}
	free(quoted);
	imap_reply_init(&r, IMAP_CMD_STATUS);
	if (perform_retry(s, "STATUS", cmd, &r, SMALL_LIMIT, s->cfg->timeout,
	    0, &fresh, errstr) == -1) {
		free(cmd);
		imap_reply_clear(&r);
		return -1;
	}
	free(cmd);
	if (!r.seen_uidvalidity || r.mailbox.uidnext == 0) {
		imap_reply_clear(&r);
		return 0;	/* not enough: EXAMINE will tell */
	}
	*mb = r.mailbox;
	imap_reply_clear(&r);
	return 1;
}

int
imap_unselect(struct imap_session *s, char **errstr)
{
	struct imap_reply r;
	int fresh;

	if (s->h == NULL || s->selected == NULL || !s->selected_valid)
		return 0;
	if (!imap_has_capability(s, "UNSELECT"))
		return -1;
	imap_reply_init(&r, IMAP_CMD_OTHER);
	if (perform_retry(s, "UNSELECT", "UNSELECT", &r, SMALL_LIMIT,
	    s->cfg->timeout, 0, &fresh, errstr) == -1) {
		imap_reply_clear(&r);
		return -1;
	}
	imap_reply_clear(&r);
	free(s->selected);
	s->selected = NULL;
	s->selected_valid = 0;
	return 0;
}

/*
 * A command that needs the EXAMINE'd folder: re-EXAMINE it first when the
 * connection is new (and refuse to go on if its UIDVALIDITY changed: the
 * UIDs the caller holds mean other messages now), and once more if the
 * connection was replaced while the command ran.
 */
static int
perform_in_folder(struct imap_session *s, const char *verb, const char *cmd,
    struct imap_reply *r, size_t limit, long timeout, char **errstr)
{
	int attempt, fresh;

	if (s->selected == NULL)
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "%s without a "
		    "folder EXAMINE'd first", verb);
	for (attempt = 0; ; attempt++) {
		if (!s->selected_valid) {
			struct imap_mailbox mb;

			if (examine_quoted(s, s->selected, &mb, errstr) == -1)
				return -1;
			if (mb.uidvalidity != s->selected_mb.uidvalidity) {
				free(s->selected);
				s->selected = NULL;
				return fail(s, IMAP_ERR_CHANGED, errstr, "%s: "
				    "UIDVALIDITY changed (%u -> %u): the folder "
				    "must be read again", s->host,
				    s->selected_mb.uidvalidity, mb.uidvalidity);
			}
		}
		if (perform_retry(s, verb, cmd, r, limit, timeout, 1, &fresh,
		    errstr) == 0)
			return 0;
		/*
		 * Once more, after a new EXAMINE, if the connection was lost
		 * or replaced (then the command ran with nothing selected).
		 */
		if (attempt > 0 || s->kind == IMAP_ERR_INTERRUPTED ||
		    !(fresh || conn_lost(s)))
			return -1;
		log_debug("imap: %s: retrying on a new connection", verb);
		free(*errstr);
		*errstr = NULL;
		s->selected_valid = 0;
		reply_restart(r);
	}
}

int
imap_uid_search(struct imap_session *s, const struct imap_criteria *cr,
    struct imap_uids *out, char **errstr)
{
	struct imap_reply r;
	char *cmd;

	memset(out, 0, sizeof(*out));
	if (imap_search_command(cr, &cmd, errstr) == -1)
		return fail(s, IMAP_ERR_CONFIG, NULL, "%s", "");
	imap_reply_init(&r, IMAP_CMD_SEARCH);
	r.uid_min = cr->uid_min ? cr->uid_min : 1;
	if (perform_in_folder(s, "UID SEARCH", cmd, &r, SMALL_LIMIT,
	    s->cfg->timeout, errstr) == -1) {
		free(cmd);
		imap_reply_clear(&r);
		return -1;
	}
	free(cmd);
	*out = r.uids;
	r.uids.v = NULL;
	r.uids.n = 0;
	imap_reply_clear(&r);
	out->n = imap_uids_sort_unique(out->v, out->n);
	if (out->n > IMAP_MAX_SEARCH_UIDS) {
		out->n = IMAP_MAX_SEARCH_UIDS;
		out->truncated = 1;
	}
	return 0;
}

static int
cmp_info(const void *a, const void *b)
{
	const struct imap_msginfo *x = a, *y = b;

	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* One batch; results appended to *out. */
static int
fetch_headers_batch(struct imap_session *s, const uint32_t *uids, size_t n,
    struct imap_msginfos *out, char **errstr)
{
	struct imap_reply r;
	struct imap_msginfo *nv;
	char *set, *cmd;

	if ((set = imap_uid_set(uids, n)) == NULL)
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
	if (asprintf(&cmd, "UID FETCH %s (UID RFC822.SIZE BODY.PEEK[HEADER."
	    "FIELDS (FROM SUBJECT MESSAGE-ID DATE)])", set) == -1) {
		free(set);
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
	}
	free(set);
	imap_reply_init(&r, IMAP_CMD_FETCH);
	if ((r.want_uids = malloc(n * sizeof(uint32_t))) == NULL) {
		free(cmd);
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
	}
	memcpy(r.want_uids, uids, n * sizeof(uint32_t));
	r.nwant_uids = n;
	if (perform_in_folder(s, "UID FETCH (headers)", cmd, &r,
	    IMAP_MAX_HEADERS + IMAP_MAX_LINE,
	    s->cfg->timeout + HEADER_BUDGET / MIN_BODY_RATE,
	    errstr) == -1) {
		free(cmd);
		imap_reply_clear(&r);
		return -1;
	}
	free(cmd);
	if (r.infos.n > 0) {
		nv = reallocarray(out->v, out->n + r.infos.n, sizeof(*nv));
		if (nv == NULL) {
			imap_reply_clear(&r);
			return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of "
			    "memory");
		}
		out->v = nv;
		memcpy(out->v + out->n, r.infos.v, r.infos.n * sizeof(*nv));
		out->n += r.infos.n;
		free(r.infos.v);
		r.infos.v = NULL;
		r.infos.n = 0;
	}
	imap_reply_clear(&r);
	return 0;
}

int
imap_fetch_headers(struct imap_session *s, const uint32_t *uids, size_t n,
    struct imap_msginfos *out, char **errstr)
{
	uint32_t *sorted;
	size_t done;

	out->v = NULL;
	out->n = 0;
	if (n == 0)
		return 0;
	if ((sorted = malloc(n * sizeof(*sorted))) == NULL)
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
	memcpy(sorted, uids, n * sizeof(*sorted));
	n = imap_uids_sort_unique(sorted, n);
	for (done = 0; done < n; done += IMAP_MAX_FETCH_BATCH) {
		size_t k = n - done < IMAP_MAX_FETCH_BATCH ? n - done :
		    IMAP_MAX_FETCH_BATCH, j;

		if (fetch_headers_batch(s, sorted + done, k, out, errstr) == 0)
			continue;
		if (s->kind != IMAP_ERR_PROTOCOL || k == 1)
			goto bad;
		/*
		 * One hostile message (a header line libcurl clips, a body
		 * line it takes for its tag) must not block the others
		 * forever: one by one, skipping the ones that fail so.
		 */
		log_warnx("imap: %s; fetching these %zu one by one", *errstr,
		    k);
		free(*errstr);
		*errstr = NULL;
		for (j = 0; j < k; j++) {
			if (fetch_headers_batch(s, sorted + done + j, 1, out,
			    errstr) == 0)
				continue;
			if (s->kind != IMAP_ERR_PROTOCOL)
				goto bad;
			log_warnx("imap: skipping UID %u: %s",
			    sorted[done + j], *errstr);
			free(*errstr);
			*errstr = NULL;
		}
	}
	free(sorted);
	qsort(out->v, out->n, sizeof(out->v[0]), cmp_info);
	s->kind = IMAP_OK;
	return 0;
bad:
	free(sorted);
	imap_msginfos_free(out);
	return -1;
}

int
imap_fetch_body(struct imap_session *s, uint32_t uid, char **bufp,
    size_t *lenp, int *cutp, char **errstr)
{
	struct imap_reply r;
	char cmd[96];
	size_t max = s->cfg->max_message_size, out_len = 0;
	uint64_t size;
	char *out = NULL;
	long start;

	*bufp = NULL;
	*lenp = 0;
	*cutp = 0;
	snprintf(cmd, sizeof(cmd), "UID FETCH %u (UID RFC822.SIZE)", uid);
	imap_reply_init(&r, IMAP_CMD_FETCH);
	r.want_body = 1;
	r.body_uid = uid;
	if (perform_in_folder(s, "UID FETCH (size)", cmd, &r, SMALL_LIMIT,
	    s->cfg->timeout, errstr) == -1) {
		imap_reply_clear(&r);
		return -1;
	}
	if (!r.size_seen) {
		imap_reply_clear(&r);
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "%s: no message "
		    "with UID %u (expunged?)", s->host, uid);
	}
	size = r.body_size;
	imap_reply_clear(&r);
	/*
	 * In pieces (see BODY_CHUNK), until one comes back short, and never
	 * more than max in all, whatever RFC822.SIZE said: a larger message
	 * is fetched up to max only (its headers and first parts are still
	 * worth reading), and so is one larger than announced.
	 *
	 * The whole download has one deadline too, timeout plus the time of
	 * its bytes at MIN_BODY_RATE: a server that trickles every piece just
	 * fast enough for its own deadline would otherwise hold the pass for
	 * hours on one mail (25 MB in 130 pieces of 72 s each).
	 */
	start = monotonic_ms();
	while (out_len < max) {
		size_t want = max - out_len < BODY_CHUNK ? max - out_len :
		    BODY_CHUNK, got, bytes;
		long budget, left, chunk_timeout;
		char *nb;

		/* As announced, or what came already when it lied. */
		bytes = size > out_len ? (size_t)size : out_len;
		if (bytes > max)
			bytes = max;
		budget = s->cfg->timeout + (long)(bytes / MIN_BODY_RATE);
		left = (start + budget * 1000 - monotonic_ms() + 999) / 1000;
		if (left <= 0) {
			fail(s, IMAP_ERR_NETWORK, errstr, "%s: UID %u: the "
			    "download took more than %ld s (%zu bytes so far, "
			    "less than %d KiB/s)", s->host, uid, budget,
			    out_len, MIN_BODY_RATE / 1024);
			goto bad;
		}
		chunk_timeout = s->cfg->timeout + BODY_CHUNK / MIN_BODY_RATE;
		if (chunk_timeout > left)
			chunk_timeout = left;
		snprintf(cmd, sizeof(cmd), "UID FETCH %u (UID BODY.PEEK[]<%zu.%zu>)",
		    uid, out_len, want);
		imap_reply_init(&r, IMAP_CMD_FETCH);
		r.want_body = 1;
		r.body_uid = uid;
		if (perform_in_folder(s, "UID FETCH (body)", cmd, &r,
		    BODY_CHUNK + IMAP_MAX_LINE, chunk_timeout, errstr) == -1) {
			if (s->kind == IMAP_ERR_NETWORK && monotonic_ms() >=
			    start + budget * 1000) {
				if (errstr != NULL) {
					free(*errstr);
					*errstr = NULL;
				}
				fail(s, IMAP_ERR_NETWORK, errstr, "%s: UID %u: "
				    "the download took more than %ld s (%zu "
				    "bytes so far, less than %d KiB/s)",
				    s->host, uid, budget, out_len,
				    MIN_BODY_RATE / 1024);
			}
			goto bad;
		}
		if (!r.body_seen) {
			fail(s, IMAP_ERR_PROTOCOL, errstr, "%s: no body for UID "
			    "%u (expunged?)", s->host, uid);
			goto bad;
		}
		got = r.body_len;
		if (got > want) {
			fail(s, IMAP_ERR_PROTOCOL, errstr, "%s: UID %u: the "
			    "server sent more than asked", s->host, uid);
			goto bad;
		}
		if ((nb = realloc(out, out_len + got + 1)) == NULL) {
			fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
			goto bad;
		}
		out = nb;
		memcpy(out + out_len, r.body, got);
		out_len += got;
		out[out_len] = '\0';
		imap_reply_clear(&r);
		if (got < want)
			break;
	}
	if (out == NULL && (out = strdup("")) == NULL)
		return fail(s, IMAP_ERR_PROTOCOL, errstr, "out of memory");
	/* Full up to max: cut, unless the message is exactly that long. */
	*cutp = out_len == max && size != max;
	*bufp = out;
	*lenp = out_len;
	return 0;
bad:
	imap_reply_clear(&r);
	free(out);
	return -1;
}

int
imap_wire_bytes(const struct imap_session *s, uint64_t *in, uint64_t *out)
{
	curl_socket_t fd = CURL_SOCKET_BAD;
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (s->h == NULL ||
	    curl_easy_getinfo(s->h, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
	    fd == CURL_SOCKET_BAD)
		return -1;
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
		return -1;
	*in = ti.tcpi_bytes_received;
	*out = ti.tcpi_bytes_acked;
	return 0;
}

unsigned long
imap_connections(const struct imap_session *s)
{
	return s->connections;
}

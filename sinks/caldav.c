/*
 * caldav: see caldav.h.
 */
#include <sys/socket.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "config/secret.h"
#include "lib/errstr.h"
#include "lib/keepalive.h"
#include "lib/log.h"
#include "model/event.h"
#include "sinks/caldav.h"

struct dav {
	CURL		*curl;
	const char	*base;		/* collection URL as configured */
	const char	*user;		/* or NULL */
	char		*password;	/* secret_free() */
	long		 timeout;
	char		 etag[STATE_ETAG_MAX + 1];	/* of the last
					   response, "" none */
	int		 etag_too_long;	/* it had one, too long to keep */
};



/* The body of responses is not needed: the status and ETag say it all. */
static size_t
discard(char *ptr, size_t size, size_t n, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * n;
}

static size_t
header_cb(char *line, size_t size, size_t n, void *arg)
{
	struct dav *d = arg;
	size_t len = size * n, vlen;
	const char *v;

	if (len > 5 && strncasecmp(line, "ETag:", 5) == 0) {
		v = line + 5;
		vlen = len - 5;
		while (vlen > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			vlen--;
		}
		while (vlen > 0 && isspace((unsigned char)v[vlen - 1]))
			vlen--;
		if (vlen < sizeof(d->etag)) {
			memcpy(d->etag, v, vlen);
			d->etag[vlen] = '\0';
		} else
			d->etag_too_long = 1;
	}
	return len;
}

/* Close-on-exec: no command we run inherits the connection. */
static curl_socket_t
opensocket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	(void)arg;
	(void)purpose;
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* The watchdog is fed during a request; a stop request ends it (the
   event stays pending, delivered at the next start). */
static int
xferinfo(void *arg, curl_off_t dlt, curl_off_t dln, curl_off_t ult,
    curl_off_t uln)
{
	(void)arg;
	(void)dlt;
	(void)dln;
	(void)ult;
	(void)uln;
	return keepalive_poll();
}

/*
 * One request: method PUT (body) or GET.  `cond` is a full header line
 * ("If-Match: ..." or "If-None-Match: *") or NULL.  Returns the HTTP
 * status, or -1 with *errstr on a transport failure.
 */
static long
request(struct dav *d, const char *url, const char *method,
    const char *body, const char *cond, char **errstr)
{
	struct curl_slist *h = NULL;
	CURLcode rc;
	long status = -1;

	curl_easy_reset(d->curl);
	d->etag[0] = '\0';
	d->etag_too_long = 0;
	curl_easy_setopt(d->curl, CURLOPT_URL, url);
	curl_easy_setopt(d->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(d->curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(d->curl, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(d->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(d->curl, CURLOPT_TIMEOUT, d->timeout);
	curl_easy_setopt(d->curl, CURLOPT_CONNECTTIMEOUT,
	    d->timeout < 30 ? d->timeout : 30L);
	curl_easy_setopt(d->curl, CURLOPT_USERAGENT, "ofii-watch/" VERSION);
	curl_easy_setopt(d->curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(d->curl, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(d->curl, CURLOPT_HEADERDATA, d);
	curl_easy_setopt(d->curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(d->curl, CURLOPT_XFERINFOFUNCTION, xferinfo);
	curl_easy_setopt(d->curl, CURLOPT_OPENSOCKETFUNCTION, opensocket);
	if (d->user != NULL) {
		curl_easy_setopt(d->curl, CURLOPT_USERNAME, d->user);
		curl_easy_setopt(d->curl, CURLOPT_PASSWORD,
		    d->password ? d->password : "");
		/*
		 * Basic only, sent at once: with several methods allowed curl
		 * first sends the request without credentials, so every PUT
		 * would go out twice.
		 */
		curl_easy_setopt(d->curl, CURLOPT_HTTPAUTH,
		    (long)CURLAUTH_BASIC);
	}
	if (strcmp(method, "PUT") == 0) {
		h = curl_slist_append(h,
		    "Content-Type: text/calendar; charset=utf-8");
		curl_easy_setopt(d->curl, CURLOPT_CUSTOMREQUEST, "PUT");
		curl_easy_setopt(d->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(d->curl, CURLOPT_POSTFIELDSIZE,
		    (long)strlen(body));
	} else
		curl_easy_setopt(d->curl, CURLOPT_HTTPGET, 1L);
	if (cond != NULL)
		h = curl_slist_append(h, cond);
	h = curl_slist_append(h, "Expect:");
	curl_easy_setopt(d->curl, CURLOPT_HTTPHEADER, h);
	rc = curl_easy_perform(d->curl);
	if (rc == CURLE_OUT_OF_MEMORY)
		/*
		 * What libcurl 7.88 answers to a header line above its cap
		 * (100 KiB), such as a huge ETag: the server's doing, far
		 * likelier than our memory.
		 */
		errstr_set(errstr, "%s: the server's answer has a header line "
		    "longer than libcurl reads (100 KiB; a huge ETag?), or we "
		    "ran out of memory", d->base);
	else if (rc != CURLE_OK)
		errstr_set(errstr, "%s: %s", d->base, curl_easy_strerror(rc));
	else
		curl_easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	/* Nothing of the password stays in the handle after the request. */
	curl_easy_setopt(d->curl, CURLOPT_PASSWORD, "");
	return status;
}

static int
auth_error(const struct dav *d, long status, char **errstr)
{
	errstr_set(errstr, "%s: the server refused user '%s' (HTTP %ld): check "
	    "caldav_user and the caldav password, and that this user may "
	    "write to this collection", d->base, d->user ? d->user : "(none)",
	    status);
	return -1;
}

static int
put_event(struct dav *d, struct state_event *ev, char **errstr)
{
	char *url = NULL, *cond = NULL;
	const char *sep;
	long status;
	int attempt, r = -1, long_etag = 0;

	if (!event_uid_valid(ev->event.uid)) {
		errstr_set(errstr, "%s: an event whose UID cannot be in a URL",
		    d->base);
		return -1;
	}
	sep = d->base[strlen(d->base) - 1] == '/' ? "" : "/";
	if (asprintf(&url, "%s%s%s.ics", d->base, sep, ev->event.uid) == -1) {
		errstr_set(errstr, "out of memory");
		return -1;
	}
	for (attempt = 0; attempt < 2; attempt++) {
		free(cond);
		cond = NULL;
		if (ev->etag != NULL && ev->etag[0] != '\0') {
			if (asprintf(&cond, "If-Match: %s", ev->etag) == -1)
				goto oom;
		} else if (attempt == 0 || !long_etag) {
			if ((cond = strdup("If-None-Match: *")) == NULL)
				goto oom;
		}
		/* else: the resource exists with an ETag too long to keep
		   (its GET after the 412 said so): our event is the authority,
		   as after any 412, and goes without a condition. */
		status = request(d, url, "PUT", ev->event.ics, cond,
		    errstr);
		if (status == -1)
			goto done;
		if (status >= 200 && status < 300) {
			free(ev->etag);
			ev->etag = NULL;
			if (d->etag[0] == '\0') {
				/* No ETag in the answer: ask for it. */
				if (request(d, url, "GET", NULL, NULL,
				    errstr) == -1)
					goto done;
			}
			if (d->etag[0] != '\0' &&
			    (ev->etag = strdup(d->etag)) == NULL)
				goto oom;
			state_event_delivered(ev, SINK_CALDAV);
			log_info("CalDAV: %s %s (HTTP %ld)", status == 201 ?
			    "created" : "updated", url, status);
			r = 0;
			goto done;
		}
		if (status == 401 || status == 403) {
			auth_error(d, status, errstr);
			goto done;
		}
		if (status != 412 || attempt == 1)
			break;
		/*
		 * 412: our idea of the resource is stale (a PUT whose answer
		 * we never recorded, or a change made elsewhere).  Our event
		 * is the authority: fetch the current ETag and retry once.
		 */
		status = request(d, url, "GET", NULL, NULL, errstr);
		if (status == -1)
			goto done;
		if (status == 401 || status == 403) {
			auth_error(d, status, errstr);
			goto done;
		}
		free(ev->etag);
		ev->etag = NULL;
		if (status == 200 && d->etag[0] != '\0' &&
		    (ev->etag = strdup(d->etag)) == NULL)
			goto oom;
		long_etag = status == 200 && d->etag_too_long;
		log_info("CalDAV: %s changed on the server (412); writing it "
		    "again", url);
	}
	errstr_set(errstr, "%s: PUT failed (HTTP %ld)", url, status);
	goto done;
oom:
	errstr_set(errstr, "out of memory");
done:
	free(cond);
	free(url);
	return r;
}

int
caldav_sync(const struct config *cfg, struct state *st, char **errstr)
{
	const struct secret_source *src = &cfg->caldav_password;
	struct dav d;
	size_t i;
	int pending = 0, r = 0;

	if (state_sink_target(st, SINK_CALDAV, cfg->caldav_url) == -1) {
		errstr_set(errstr, "out of memory");
		return -1;
	}
	for (i = 0; i < st->nevents; i++)
		if (state_event_pending(&st->events[i], SINK_CALDAV))
			pending = 1;
	if (!pending)
		return 0;	/* no request at all */

	if (strncasecmp(cfg->caldav_url, "http://", 7) == 0)
		log_warnx("CalDAV %s: plain http, the password and events "
		    "cross the network unencrypted (use https:// unless this "
		    "is a local test server)", cfg->caldav_url);
	memset(&d, 0, sizeof(d));
	d.base = cfg->caldav_url;
	d.user = cfg->caldav_user;
	d.timeout = cfg->timeout > 0 ? cfg->timeout : 60;
	if (src->command || src->file || src->credential || src->value) {
		if (secret_fetch(src, "caldav_password", (int)d.timeout,
		    &d.password, errstr) == -1)
			return -1;
	}
	if ((d.curl = curl_easy_init()) == NULL) {
		secret_free(d.password);
		errstr_set(errstr, "%s: cannot start libcurl", d.base);
		return -1;
	}
	for (i = 0; i < st->nevents && r == 0; i++)
		if (state_event_pending(&st->events[i], SINK_CALDAV))
			r = put_event(&d, &st->events[i], errstr);
	curl_easy_cleanup(d.curl);
	secret_free(d.password);
	return r;
}

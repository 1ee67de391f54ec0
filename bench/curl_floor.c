/*
 * curl_floor: the memory any libcurl IMAP client pays on this system, to
 * put the daemon's own figure in perspective.
 *
 *   build/bench/curl_floor URL USER PASSWORD CAFILE LABEL
 *
 * Links libcurl and nothing else, logs in over TLS and asks STATUS INBOX
 * once, as the daemon's idle poll does, then prints its peak RSS.  With
 * CAFILE "system" the system's CA bundle is loaded instead (what an account
 * at a public provider costs); the login then fails certificate
 * verification against the bench's private CA, after the bundle was read,
 * which is the part being measured.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static long
vm_hwm_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

int
main(int argc, char *argv[])
{
	CURL *h;
	CURLcode rc;

	if (argc != 6) {
		fprintf(stderr, "usage: curl_floor URL USER PASSWORD CAFILE "
		    "LABEL\n");
		return 2;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (h = curl_easy_init()) == NULL)
		return 1;
	curl_easy_setopt(h, CURLOPT_URL, argv[1]);
	curl_easy_setopt(h, CURLOPT_USERNAME, argv[2]);
	curl_easy_setopt(h, CURLOPT_PASSWORD, argv[3]);
	if (strcmp(argv[4], "system") != 0) {
		curl_easy_setopt(h, CURLOPT_CAINFO, argv[4]);
		curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	}
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST,
	    "STATUS INBOX (UIDNEXT UIDVALIDITY)");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, discard);
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK && strcmp(argv[4], "system") != 0) {
		fprintf(stderr, "curl_floor: %s\n", curl_easy_strerror(rc));
		return 1;
	}
	printf("%s %s %.1f MiB\n", argv[5], strcmp(argv[4], "system") == 0 ?
	    "floor_rss_system_ca" : "floor_rss", vm_hwm_kib() / 1024.0);
	curl_easy_cleanup(h);
	curl_global_cleanup();
	return 0;
}

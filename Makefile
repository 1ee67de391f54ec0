# ofii-watch — see README.md.
#
#   make                 build build/ofii-watch
#   make check           install missing Debian packages, then every test
#   make demo            install missing packages, then the built-in demo
#   make deps            only install missing Debian packages
#   make install         PREFIX=/usr/local DESTDIR=
#   make install-user    binary into ~/.local/bin, unit into ~/.config/systemd/user
#   make fuzz            libFuzzer targets (clang), FUZZ_SECONDS each
#   make bench           benchmarks, figures on stdout
#   make golden          regenerate tests' expected outputs (review the diff!)

VERSION	= 0.1.0
PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
# The reader program must stay at ../libexec/ofii-watch from BINDIR
# (daemon/reader.h): LIBEXECDIR follows PREFIX, not a free choice.
LIBEXECDIR = $(PREFIX)/libexec/ofii-watch
MANDIR	?= $(PREFIX)/share/man
DOCDIR	?= $(PREFIX)/share/doc/ofii-watch
USERUNITDIR ?= $(PREFIX)/lib/systemd/user
DESTDIR	?=

CC	?= cc
PKG_CONFIG ?= pkg-config
PKGS	= libcurl libical libsystemd poppler-glib libxml-2.0 json-c nettle
# Two programs, two sets of libraries: the daemon (mailbox, state,
# calendar) never loads the mail parsers, which only the reader program
# links (daemon/reader.h).  Linking from an archive makes that a build
# error: a daemon object that calls a parser leaves an undefined symbol.
DAEMON_PKGS = libcurl libical libsystemd json-c nettle
READER_PKGS = poppler-glib libxml-2.0 json-c libical libsystemd glib-2.0

WARNINGS = -std=c11 -Wall -Wextra -Wformat=2 -Wshadow -Wmissing-prototypes \
	   -Wstrict-prototypes -Wwrite-strings -Wundef -Wpointer-arith \
	   -Wvla $(WERROR)
CFLAGS	?= -O2 -g
# libetpan: plain -letpan, its pkg-config line drags in a dpkg specs file.
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -letpan
DAEMON_LIBS := $(shell $(PKG_CONFIG) --libs $(DAEMON_PKGS) 2>/dev/null)
READER_LIBS := $(shell $(PKG_CONFIG) --libs $(READER_PKGS) 2>/dev/null) -letpan
ALL_CPPFLAGS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -I. $(CPPFLAGS)
ALL_CFLAGS = $(WARNINGS) $(CFLAGS) -fstack-protector-strong \
	     -D_FORTIFY_SOURCE=2 -fPIE $(PKG_CFLAGS)
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now -Wl,--as-needed $(LDFLAGS)

# Modules, one .c per responsibility.  Everything but the two main()s
# goes into a static library both programs and the unit tests link with.
LIBC	= lib/errstr.c lib/utf8.c lib/buf.c lib/civil.c lib/log.c lib/clock.c lib/child.c lib/readall.c \
	  lib/keepalive.c
STORE	= store/state.c store/atomic.c store/migrate.c
CONFIG	= config/config.c config/secret.c config/perms.c
MODEL	= model/convocation.c model/reading.c model/event.c model/timeline.c
IMAP	= imap/session.c imap/wire.c imap/mutf7.c
PARSERS	= parsers/message.c parsers/fields.c parsers/trust.c parsers/html.c parsers/pdf.c \
	  parsers/frdate.c parsers/address.c parsers/phone.c \
	  parsers/convocation.c parsers/text.c parsers/guard.c \
	  parsers/mimeparam.c parsers/folded.c parsers/history.c \
	  parsers/doc.c parsers/keywords.c parsers/appointments.c \
	  parsers/items.c parsers/xray.c parsers/person.c \
	  parsers/structured.c parsers/icalpart.c parsers/schemaorg.c
READERC	= reader/understand.c
CALENDAR = calendar/events.c calendar/timeline.c calendar/texts.c \
	   calendar/ical.c calendar/holidays.c
SINKS	= sinks/sinks.c sinks/vdir.c sinks/file.c sinks/caldav.c
DAEMON	= daemon/parse_cmd.c daemon/poll.c daemon/loop.c daemon/alerts.c \
	  daemon/standing.c daemon/status_cmd.c daemon/check_cmd.c \
	  daemon/reader.c
LIBSRCS	= $(LIBC) $(STORE) $(CONFIG) $(MODEL) $(IMAP) $(PARSERS) $(READERC) \
	  $(CALENDAR) $(SINKS) $(DAEMON)
MAIN	= daemon/main.c
READER_MAIN = reader/main.c

OBJS	= $(LIBSRCS:%.c=build/%.o)
LIB	= build/libofii.a
BIN	= build/ofii-watch
READER	= build/ofii-watch-reader

# The unit tests run under AddressSanitizer + UBSan, in their own tree.
SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -fno-omit-frame-pointer
SANFLAGS = $(WARNINGS) -O1 -g $(SAN) $(PKG_CFLAGS)
SANOBJS	= $(LIBSRCS:%.c=build/asan/%.o)
SANLIB	= build/asan/libofii.a
SANBIN	= build/asan/ofii-watch
SANREADER = build/asan/ofii-watch-reader
UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=build/asan/tests/%)

# libFuzzer targets, built with clang in their own tree.
FUZZCC	?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 15
FUZZFLAGS = -std=c11 -g -O1 -fsanitize=address,undefined \
	    -fno-sanitize-recover=all $(PKG_CFLAGS)
FUZZOBJS = $(LIBSRCS:%.c=build/fuzz/%.o)
FUZZ_BINS = build/fuzz/fuzz_message build/fuzz/fuzz_frdate \
	    build/fuzz/fuzz_reading build/fuzz/fuzz_imap_wire \
	    build/fuzz/fuzz_structured
.SECONDARY: $(FUZZOBJS)

.PHONY: all deps check check-nodeps layout unit integration demo install \
	install-user uninstall fuzz fuzz-smoke bench golden clean
all: $(BIN) $(READER)

$(LIB): $(OBJS)
	rm -f $@
	ar rcs $@ $^

$(BIN): build/daemon/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(DAEMON_LIBS) -lm

$(READER): build/reader/main.o $(LIB)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(READER_LIBS) -lm

build/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

build/asan/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(SANFLAGS) -MMD -MP -c -o $@ $<

$(SANLIB): $(SANOBJS)
	rm -f $@
	ar rcs $@ $^

$(SANBIN): build/asan/daemon/main.o $(SANLIB)
	$(CC) $(SANFLAGS) -o $@ $^ $(DAEMON_LIBS) -lm

$(SANREADER): build/asan/reader/main.o $(SANLIB)
	$(CC) $(SANFLAGS) -o $@ $^ $(READER_LIBS) -lm

build/asan/tests/%: tests/unit/%.c $(SANLIB) tests/unit/testutil.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(SANFLAGS) -MMD -MP -o $@ $< \
	    $(SANLIB) $(PKG_LIBS) $(shell $(PKG_CONFIG) --libs cmocka) -lm

build/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZCC) $(ALL_CPPFLAGS) $(FUZZFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c \
	    -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZOBJS)
	$(FUZZCC) $(ALL_CPPFLAGS) $(FUZZFLAGS) -fsanitize=fuzzer -o $@ $^ \
	    $(PKG_LIBS) -lm

deps:
	@scripts/deps.sh

# One command on a fresh machine: dependencies first, then a new make that
# sees the freshly installed pkg-config files.
check: deps
	@$(MAKE) --no-print-directory check-nodeps WERROR=-Werror

check-nodeps: layout all unit integration fuzz-smoke

# Include rules the compiler cannot see (scripts/layout-check.sh).
layout:
	@scripts/layout-check.sh

unit: $(UNIT_BINS) $(SANREADER)
	@tests/run-unit.sh $(UNIT_BINS)

integration: $(BIN) $(READER) $(SANBIN) $(SANREADER) $(UNIT_BINS)
	@tests/integration/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@examples/demo.sh

# The golden mails of tests/fixtures/mail/ and their expected JSON come
# from generators (ground truth, never from our own output); the expected
# calendars are our own output, reviewed.  Check `git diff` after running it.
golden: $(BIN)
	/usr/bin/python3 tests/fixtures/gen/make_all.py
	tests/fixtures/ics/regen.sh

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BINS)

fuzz-smoke: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_BINS)

bench: deps
	@$(MAKE) --no-print-directory all build/bench/parse_bench \
	    build/bench/imap_bench build/bench/curl_floor
	@bench/run.sh

# libcurl alone: the floor the daemon's memory is compared with.
build/bench/curl_floor: bench/curl_floor.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(shell $(PKG_CONFIG) --libs libcurl)

build/bench/%: bench/%.c bench/bench.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter %.c %.a,$^) $(PKG_LIBS) -lm

install: $(BIN) $(READER)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
	    $(DESTDIR)$(USERUNITDIR) $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/ofii-watch
	install -m 0755 $(READER) $(DESTDIR)$(LIBEXECDIR)/ofii-watch-reader
	sed 's|@BINDIR@|$(BINDIR)|g' systemd/ofii-watch.service.in \
	    > $(DESTDIR)$(USERUNITDIR)/ofii-watch.service
	chmod 0644 $(DESTDIR)$(USERUNITDIR)/ofii-watch.service
	install -m 0644 config/ofii-watch.conf.example README.md $(DESTDIR)$(DOCDIR)/

# A user install needs no root: binary in ~/.local/bin, unit in the user's
# systemd directory, an example config if there is none yet.
USER_BINDIR  = $(HOME)/.local/bin
USER_LIBEXECDIR = $(HOME)/.local/libexec/ofii-watch
USER_UNITDIR = $(or $(XDG_CONFIG_HOME),$(HOME)/.config)/systemd/user
USER_CONFDIR = $(or $(XDG_CONFIG_HOME),$(HOME)/.config)/ofii-watch
USER_STATEDIR = $(or $(XDG_STATE_HOME),$(HOME)/.local/state)/ofii-watch
USER_DATADIR = $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/ofii-watch
install-user: $(BIN) $(READER)
	install -d $(USER_BINDIR) $(USER_LIBEXECDIR) $(USER_UNITDIR)
	install -d -m 0700 $(USER_CONFDIR) $(USER_STATEDIR) $(USER_DATADIR)
	install -m 0755 $(BIN) $(USER_BINDIR)/ofii-watch
	install -m 0755 $(READER) $(USER_LIBEXECDIR)/ofii-watch-reader
	sed 's|@BINDIR@|%h/.local/bin|g' systemd/ofii-watch.service.in \
	    > $(USER_UNITDIR)/ofii-watch.service
	chmod 0644 $(USER_UNITDIR)/ofii-watch.service
	@if [ ! -e $(USER_CONFDIR)/config ]; then \
	    install -m 0600 config/ofii-watch.conf.example $(USER_CONFDIR)/config; \
	    echo "Example config written to $(USER_CONFDIR)/config: edit it."; fi
	@echo "Installed $(USER_BINDIR)/ofii-watch and $(USER_UNITDIR)/ofii-watch.service."
	@echo "Check the config:  $(USER_BINDIR)/ofii-watch check"
	@echo "Then start it:     systemctl --user daemon-reload && systemctl --user enable --now ofii-watch"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ofii-watch \
	    $(DESTDIR)$(LIBEXECDIR)/ofii-watch-reader \
	    $(DESTDIR)$(USERUNITDIR)/ofii-watch.service
	rm -f $(DESTDIR)$(DOCDIR)/ofii-watch.conf.example $(DESTDIR)$(DOCDIR)/README.md
	-rmdir $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DOCDIR) 2>/dev/null

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

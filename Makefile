# AgencyOS - a content agency in a box.  See README.md.
#
#   make                 build lib/libagency.a and bin/*
#   make check           build and run every test (tests/run)
#   make check SANITIZE=1  the same under ASan + UBSan
#   make install PREFIX=/usr/local DESTDIR=...
#   make deps            install the Debian packages listed in DEPS

VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/agency
BASHDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHDIR ?= $(PREFIX)/share/fish/vendor_completions.d

CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config

# The one list of what we build against (pkg-config names) ...
PKGS = libcurl libcjson sqlite3 yaml-0.1 fluidsynth libebur128 \
       libavformat libavcodec libavutil libswresample libavfilter libswscale \
       freetype2 fontconfig libass espeak-ng zimg
# ... and the Debian packages that provide them, the tools the tests
# use, and the runtime data.  `make deps` installs exactly these.
DEPS = build-essential pkg-config libcurl4-openssl-dev libcjson-dev \
       libsqlite3-dev libyaml-dev python3 mandoc sqlite3 \
       libfluidsynth-dev timgm6mb-soundfont libebur128-dev \
       libavformat-dev libavcodec-dev libavutil-dev libswresample-dev ffmpeg \
       libavfilter-dev libswscale-dev libzimg-dev \
       fluidsynth \
       libfreetype-dev libfontconfig-dev fonts-dejavu-core libass-dev \
       libespeak-ng-dev espeak-ng-data flite1-dev tzdata \
       curl ceph-mon ceph-osd radosgw uuid-runtime webhook

override CPPFLAGS += -Ilib -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	-DAGENCY_VERSION='"$(VERSION)"' -DAGENCY_DATADIR='"$(DATADIR)"'
override CFLAGS += -std=c17 -Wall -Wextra -Werror -Wno-format-truncation \
	-MMD -MP \
	$(shell $(PKG_CONFIG) --cflags $(PKGS))
# libcurl is compiled against but not linked: lib/net/curl.c opens it on
# first use, so tools that never make a request start fast.
LINK_PKGS = $(filter-out libcurl,$(PKGS))
# flite has no .pc file: its voices, English front end and core.
FLITE_LIBS = -lflite_cmu_us_slt -lflite_cmu_us_kal16 -lflite_cmu_us_kal \
	-lflite_cmu_us_awb -lflite_cmu_us_rms -lflite_usenglish \
	-lflite_cmulex -lflite
LDLIBS  += $(shell $(PKG_CONFIG) --libs $(LINK_PKGS)) $(FLITE_LIBS) -ldl -lm
override LDFLAGS += -Wl,--as-needed

ifdef SANITIZE
override CFLAGS  += -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
override LDFLAGS += -fsanitize=address,undefined
endif

LIBSRC  := $(sort $(wildcard lib/*/*.c))
LIBOBJ  := $(LIBSRC:.c=.o)
CMDSRC  := $(sort $(wildcard cmd/*.c))
BIN     := $(patsubst cmd/%.c,bin/%,$(CMDSRC))
TESTSRC := $(sort $(wildcard tests/unit/t-*.c))
TESTBIN := $(TESTSRC:.c=)
LIB     := lib/libagency.a

all: $(LIB) $(BIN) $(TESTBIN)

# Objects depend on the flags they were built with, so switching
# SANITIZE (or CFLAGS) rebuilds everything (git's GIT-CFLAGS).
BUILD_FLAGS = $(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS)
.build-flags: FORCE
	@echo '$(BUILD_FLAGS)' | cmp -s - $@ || echo '$(BUILD_FLAGS)' > $@

%.o: %.c .build-flags
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

bin/%: cmd/%.o $(LIB)
	@mkdir -p bin
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

tests/unit/t-%: tests/unit/t-%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

check: all
	tests/run

completions: $(BIN)
	completions/gen bin completions

install: all install-files

# install-files copies what is built; tests call it directly so that an
# install never triggers a rebuild with other flags.
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(DATADIR) $(DESTDIR)$(BASHDIR) $(DESTDIR)$(ZSHDIR) \
	    $(DESTDIR)$(FISHDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7
	[ ! -d share ] || cp -R share/. $(DESTDIR)$(DATADIR)
	for f in completions/bash/*; do \
	    install -m 644 $$f $(DESTDIR)$(BASHDIR); done
	for f in completions/zsh/*; do \
	    install -m 644 $$f $(DESTDIR)$(ZSHDIR); done
	for f in completions/fish/*; do \
	    install -m 644 $$f $(DESTDIR)$(FISHDIR); done

uninstall:
	rm -f $(patsubst bin/%,$(DESTDIR)$(BINDIR)/%,$(BIN))
	cd man && for f in *.1 *.5 *.7; do \
	    rm -f $(DESTDIR)$(MANDIR)/man$${f##*.}/$$f; done
	rm -rf $(DESTDIR)$(DATADIR)
	cd completions/bash && for f in *; do rm -f $(DESTDIR)$(BASHDIR)/$$f; done
	cd completions/zsh && for f in *; do rm -f $(DESTDIR)$(ZSHDIR)/$$f; done
	cd completions/fish && for f in *; do rm -f $(DESTDIR)$(FISHDIR)/$$f; done

deps:
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(DEPS)

lint:
	mandoc -Tlint -W warning man/*.[157]

analyze:
	cppcheck --quiet --error-exitcode=1 --std=c11 -Ilib \
	    --suppress=missingIncludeSystem --library=tests/cppcheck.cfg \
	    lib cmd

clean:
	rm -f $(LIBOBJ) $(LIBOBJ:.o=.d) $(LIB) $(BIN) cmd/*.o cmd/*.d \
	    $(TESTBIN) tests/unit/*.o tests/unit/*.d .build-flags
	rm -rf bin

print-deps:
	@echo $(DEPS)

.PHONY: all check completions install install-files uninstall deps lint analyze clean \
	print-deps FORCE
.SECONDARY: $(LIBOBJ) $(CMDSRC:.c=.o) $(TESTSRC:.c=.o)

-include $(LIBSRC:.c=.d) $(CMDSRC:.c=.d) $(TESTSRC:.c=.d)
